// Record batches written by real clients, captured from a real Apache Kafka 4.1.1 broker's segment files
// (the broker stores v2 batches as the producer sent them, except baseOffset and partitionLeaderEpoch).
//
// How they were produced (topic names ended in -kcat-<codec> / -java-<codec>):
//   kcat 1.7 (librdkafka 2.0.2): printf 'k1\tv-<c>-one\nk2\tvalue two <c> <c> <c>\n\tthird with empty key\n' |
//     kcat -P -b 127.0.0.1:19092 -t <topic> -K '\t' -z <c> -H h1=x -H h2=yy
//   Java (kafka-console-producer 4.1.1): --compression-codec <c> --property parse.key=true
//     --property key.separator=<tab> --producer-property linger.ms=500, lines "k1<tab>java-<c>-one" and
//     "k2<tab>value two <c> <c> <c>"
// then the 00000000000000000000.log of each partition was read and split into batches. Java's snappy is
// xerial-framed, librdkafka's is raw; librdkafka put its first zstd record in an uncompressed batch.

export interface Fixture {
  name: string;
  compression: string;
  hex: string;
  records: { key: string | null; value: string; headers: [string, string][] }[];
}

export const CLIENT_BATCHES: Fixture[] = [
  {
    name: 'java-gzip',
    compression: 'gzip',
    hex: '0000000000000000000000710000000002890d67de000100000001000001a21335ab57000001a21335ab620000000000000001000000000000000000021f8b08000000000000ffd362606060c93694ca4a2c4bd44dafca2cd0cdcf4b657060106362c93632284bcc294d552829cf570049210806005ece705037000000',
    records: [
      { key: 'k1', value: 'java-gzip-one', headers: [] },
      { key: 'k2', value: 'value two gzip gzip gzip', headers: [] },
    ],
  },
  {
    name: 'java-lz4',
    compression: 'lz4',
    hex: '0000000000000000000000730000000002ff326c39000300000001000001a21335ac83000001a21335acc000000000000000020000000000000000000204224d186040823300008028000000046b31186a6176612d6c7a342d6f6e65003a007a02046b322a76616c75652074776f206c7a34206c7a34206c7a340000000000',
    records: [
      { key: 'k1', value: 'java-lz4-one', headers: [] },
      { key: 'k2', value: 'value two lz4 lz4 lz4', headers: [] },
    ],
  },
  {
    name: 'java-snappy',
    compression: 'snappy',
    hex: '000000000000000000000086000000000290129a68000200000001000001a21335abb7000001a21335ac4200000000000000000000000000000000000282534e415050590000000001000000010000004140b02e000000046b311e6a6176612d736e617070792d6f6e65004e00960202046b323c76616c75652074776f20736e011e3820736e6170707920736e6170707900',
    records: [
      { key: 'k1', value: 'java-snappy-one', headers: [] },
      { key: 'k2', value: 'value two snappy snappy snappy', headers: [] },
    ],
  },
  {
    name: 'java-zstd',
    compression: 'zstd',
    hex: '00000000000000000000007100000000021a5ff6c1000400000001000001a21335acd1000001a21335ad0f00000000000000030000000000000000000228b52ffd0058a40100d4022a000000046b311a6a6176612d7a7374642d6f6e650040007c02046b323076616c75652074776f207a737464000100c456ca010000',
    records: [
      { key: 'k1', value: 'java-zstd-one', headers: [] },
      { key: 'k2', value: 'value two zstd zstd zstd', headers: [] },
    ],
  },
  {
    name: 'kcat-gzip',
    compression: 'gzip',
    hex: '0000000000000000000000960000000002bb20a20a000100000002000001a213357ef3000001a213357ef3ffffffffffffffffffffffffffff000000031f8b0800000000000003b362606060c9361429d34dafca2cd0cdcf4b6561c93064aa60c93062a9ac0c63606062c93632284bcc294d552829cf5700a94210c86abd8006316894646416a5289467966428a4e61694542a64a75622ab0200dc5911c170000000',
    records: [
      {
        key: 'k1',
        value: 'v-gzip-one',
        headers: [
          ['h1', 'x'],
          ['h2', 'yy'],
        ],
      },
      {
        key: 'k2',
        value: 'value two gzip gzip gzip',
        headers: [
          ['h1', 'x'],
          ['h2', 'yy'],
        ],
      },
      {
        key: '',
        value: 'third with empty key',
        headers: [
          ['h1', 'x'],
          ['h2', 'yy'],
        ],
      },
    ],
  },
  {
    name: 'kcat-lz4',
    compression: 'lz4',
    hex: '00000000000000000000009d0000000002ea636c89000300000002000001a2133586f7000001a2133586f7ffffffffffffffffffffffffffff0000000304224d186040825d000000f42338000000046b3112762d6c7a342d6f6e6504046831027804683204797950000002046b322a76616c75652074776f206c7a340400082900f30b4a00000400287468697264207769746820656d707479206b6579260050683204797900000000',
    records: [
      {
        key: 'k1',
        value: 'v-lz4-one',
        headers: [
          ['h1', 'x'],
          ['h2', 'yy'],
        ],
      },
      {
        key: 'k2',
        value: 'value two lz4 lz4 lz4',
        headers: [
          ['h1', 'x'],
          ['h2', 'yy'],
        ],
      },
      {
        key: '',
        value: 'third with empty key',
        headers: [
          ['h1', 'x'],
          ['h2', 'yy'],
        ],
      },
    ],
  },
  {
    name: 'kcat-none',
    compression: 'none',
    hex: '0000000000000000000000a10000000002eb2375da000000000002000001a213357b02000001a213357b02ffffffffffffffffffffffffffff000000033a000000046b3114762d6e6f6e652d6f6e6504046831027804683204797956000002046b323076616c75652074776f206e6f6e65206e6f6e65206e6f6e650404683102780468320479794a00000400287468697264207769746820656d707479206b6579040468310278046832047979',
    records: [
      {
        key: 'k1',
        value: 'v-none-one',
        headers: [
          ['h1', 'x'],
          ['h2', 'yy'],
        ],
      },
      {
        key: 'k2',
        value: 'value two none none none',
        headers: [
          ['h1', 'x'],
          ['h2', 'yy'],
        ],
      },
      {
        key: '',
        value: 'third with empty key',
        headers: [
          ['h1', 'x'],
          ['h2', 'yy'],
        ],
      },
    ],
  },
  {
    name: 'kcat-snappy',
    compression: 'snappy',
    hex: '00000000000000000000009500000000027146102e000200000002000001a2133582f0000001a2133582f0ffffffffffffffffffffffffffff0000000378c83e000000046b3118762d736e617070792d6f6e6504046831027804683204797962000002046b323c76616c75652074776f207305283607002e3200944a00000400287468697264207769746820656d707479206b6579040468310278046832047979',
    records: [
      {
        key: 'k1',
        value: 'v-snappy-one',
        headers: [
          ['h1', 'x'],
          ['h2', 'yy'],
        ],
      },
      {
        key: 'k2',
        value: 'value two snappy snappy snappy',
        headers: [
          ['h1', 'x'],
          ['h2', 'yy'],
        ],
      },
      {
        key: '',
        value: 'third with empty key',
        headers: [
          ['h1', 'x'],
          ['h2', 'yy'],
        ],
      },
    ],
  },
  {
    name: 'kcat-zstd#0',
    compression: 'none',
    hex: '00000000000000000000004f000000000282fda21e000000000000000001a213358afa000001a213358afaffffffffffffffffffffffffffff000000013a000000046b3114762d7a7374642d6f6e65040468310278046832047979',
    records: [
      {
        key: 'k1',
        value: 'v-zstd-one',
        headers: [
          ['h1', 'x'],
          ['h2', 'yy'],
        ],
      },
    ],
  },
  {
    name: 'kcat-zstd#1',
    compression: 'zstd',
    hex: '000000000000000100000080000000000217a02205000400000001000001a213358afa000001a213358afaffffffffffffffffffffffffffff0000000228b52ffd0058350200c40356000000046b323076616c75652074776f207a7374640404683102780468320479794a00000200287468697264207769746820656d707479206b657902004e8a3fd84a13',
    records: [
      {
        key: 'k2',
        value: 'value two zstd zstd zstd',
        headers: [
          ['h1', 'x'],
          ['h2', 'yy'],
        ],
      },
      {
        key: '',
        value: 'third with empty key',
        headers: [
          ['h1', 'x'],
          ['h2', 'yy'],
        ],
      },
    ],
  },
];
