// seaway-paho-load: a load client built on Eclipse Paho's Go MQTT client (not our code).
// W connections, each publishing its share of N unique payloads of S bytes at QoS Q with at most
// I unacknowledged. Speaks the bench harness's load contract (../README.md): "connected N workers"
// on stderr once every connection is up, then one JSON summary line on stdout.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

type latency struct {
	P50 float64 `json:"p50"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

type summary struct {
	Client    string   `json:"client"`
	Messages  int64    `json:"messages"`
	Sent      int64    `json:"sent"`
	Errors    int64    `json:"errors"`
	Malformed int      `json:"malformed"`
	Bytes     int64    `json:"bytes"`
	Seconds   float64  `json:"seconds"`
	MsgPerSec int64    `json:"msgPerSec"`
	LatencyMs *latency `json:"latencyMs"`
	Server    string   `json:"server"`
	Topic     string   `json:"topic"`
	Format    string   `json:"format"`
	Qos       int      `json:"qos"`
	Workers   int      `json:"workers"`
	Inflight  int      `json:"inflight"`
	Procs     int      `json:"procs"`
	Source    string   `json:"source"`
	Looped    bool     `json:"looped"`
	Prepare   float64  `json:"prepareSeconds"`
	LastError *string  `json:"lastError"`
}

func payload(worker, seq, size int) []byte {
	head := fmt.Sprintf("%d:%d:", worker, seq)
	n := size
	if len(head) > n {
		n = len(head)
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = 'x'
	}
	copy(b, head)
	return b
}

func main() {
	server := flag.String("server", "127.0.0.1:1883", "broker host:port")
	topic := flag.String("topic", "/bench", "topic to publish to")
	messages := flag.Int("messages", 100000, "messages in total")
	workers := flag.Int("workers", 64, "connections")
	inflight := flag.Int("inflight", 1, "unacknowledged messages per connection")
	qos := flag.Int("qos", 1, "QoS")
	size := flag.Int("size", 100, "payload bytes")
	protocol := flag.Int("protocol", 4, "MQTT protocol level (3 or 4; Paho Go has no MQTT 5)")
	flag.Parse()

	clients := make([]mqtt.Client, *workers)
	for w := range clients {
		o := mqtt.NewClientOptions().AddBroker("tcp://" + *server).
			SetClientID(fmt.Sprintf("paho-load-%d-%d", os.Getpid(), w)).
			SetCleanSession(true).SetAutoReconnect(false).SetKeepAlive(60 * time.Second).
			SetProtocolVersion(uint(*protocol)).SetMaxResumePubInFlight(*inflight).
			SetWriteTimeout(30 * time.Second)
		c := mqtt.NewClient(o)
		if t := c.Connect(); t.Wait() && t.Error() != nil {
			fmt.Fprintf(os.Stderr, "connect %d: %v\n", w, t.Error())
			os.Exit(1)
		}
		clients[w] = c
	}
	fmt.Fprintf(os.Stderr, "connected %d workers\n", len(clients))

	lat := make([]float64, *messages)
	var acked, sent, errs, nbytes int64
	var lastErr atomic.Value
	start := time.Now()
	var wg sync.WaitGroup
	for w, c := range clients {
		share := *messages / *workers
		if w < *messages%*workers {
			share++
		}
		var next int64 = -1
		for lane := 0; lane < *inflight; lane++ {
			wg.Add(1)
			go func(w int, c mqtt.Client, share int64, next *int64) {
				defer wg.Done()
				for {
					seq := atomic.AddInt64(next, 1)
					if seq >= share {
						return
					}
					body := payload(w, int(seq), *size)
					t0 := time.Now()
					atomic.AddInt64(&sent, 1)
					t := c.Publish(*topic, byte(*qos), false, body)
					t.Wait()
					if err := t.Error(); err != nil {
						atomic.AddInt64(&errs, 1)
						lastErr.Store(err.Error())
						continue
					}
					i := atomic.AddInt64(&acked, 1) - 1
					lat[i] = float64(time.Since(t0).Nanoseconds()) / 1e6
					atomic.AddInt64(&nbytes, int64(len(body)))
				}
			}(w, c, int64(share), &next)
		}
	}
	wg.Wait()
	seconds := time.Since(start).Seconds()
	for _, c := range clients {
		c.Disconnect(100)
	}

	l := lat[:acked]
	sort.Float64s(l)
	r := func(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }
	s := summary{
		Client: "paho.mqtt.golang v1.5.1 (MQTT 3.1.1)", Messages: acked, Sent: sent, Errors: errs,
		Bytes: nbytes, Seconds: r(seconds), MsgPerSec: int64(float64(acked) / seconds),
		Server: *server, Topic: *topic, Format: fmt.Sprintf("bytes%d", *size), Qos: *qos,
		Workers: *workers, Inflight: *inflight, Procs: 1, Source: "unique padded payloads",
	}
	if acked > 0 {
		pick := func(p float64) float64 {
			i := int(p * float64(len(l)))
			if i >= len(l) {
				i = len(l) - 1
			}
			return r(l[i])
		}
		s.LatencyMs = &latency{P50: pick(0.5), P99: pick(0.99), Max: r(l[len(l)-1])}
	}
	if v, ok := lastErr.Load().(string); ok {
		s.LastError = &v
	}
	out, _ := json.Marshal(s)
	fmt.Println(string(out))
}
