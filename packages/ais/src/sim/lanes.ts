// Sea lanes as a waypoint graph between real ports. Ports sit at their sea approaches (pilot
// stations and anchorages, not terminals); lane waypoints mark straits, capes and ocean turning
// points of the usual shipping routes. Every leg is a rhumb line that stays off the coarse land
// mask (land.ts), which test/simulator.test.ts checks leg by leg. Routes are shortest paths.
import { type LonLat, rhumbDistance } from './geo.ts';

export interface Port extends LonLat {
  id: string;
  name: string; // as AIS destinations are written, upper case
  country: string; // ISO 3166 alpha-2
}

export const PORTS: readonly Port[] = [
  { id: 'rotterdam', name: 'ROTTERDAM', country: 'NL', lon: 3.95, lat: 52.0 },
  { id: 'hamburg', name: 'HAMBURG', country: 'DE', lon: 8.2, lat: 54.0 },
  { id: 'antwerp', name: 'ANTWERP', country: 'BE', lon: 3.2, lat: 51.5 },
  { id: 'felixstowe', name: 'FELIXSTOWE', country: 'GB', lon: 1.6, lat: 51.9 },
  { id: 'lehavre', name: 'LE HAVRE', country: 'FR', lon: -0.3, lat: 49.6 },
  { id: 'gothenburg', name: 'GOTHENBURG', country: 'SE', lon: 11.6, lat: 57.65 },
  { id: 'gdansk', name: 'GDANSK', country: 'PL', lon: 18.75, lat: 54.45 },
  { id: 'bergen', name: 'BERGEN', country: 'NO', lon: 4.6, lat: 60.4 },
  { id: 'algeciras', name: 'ALGECIRAS', country: 'ES', lon: -5.4, lat: 36.1 },
  { id: 'valencia', name: 'VALENCIA', country: 'ES', lon: -0.2, lat: 39.42 },
  { id: 'genoa', name: 'GENOA', country: 'IT', lon: 8.9, lat: 44.35 },
  { id: 'piraeus', name: 'PIRAEUS', country: 'GR', lon: 23.5, lat: 37.8 },
  { id: 'portsaid', name: 'PORT SAID', country: 'EG', lon: 32.3, lat: 31.35 },
  { id: 'jeddah', name: 'JEDDAH', country: 'SA', lon: 39.1, lat: 21.5 },
  { id: 'jebelali', name: 'JEBEL ALI', country: 'AE', lon: 54.95, lat: 25.1 },
  { id: 'mumbai', name: 'MUMBAI', country: 'IN', lon: 72.75, lat: 18.9 },
  { id: 'colombo', name: 'COLOMBO', country: 'LK', lon: 79.8, lat: 6.95 },
  { id: 'portklang', name: 'PORT KLANG', country: 'MY', lon: 101.2, lat: 2.95 },
  { id: 'singapore', name: 'SINGAPORE', country: 'SG', lon: 103.8, lat: 1.2 },
  { id: 'hongkong', name: 'HONG KONG', country: 'HK', lon: 114.2, lat: 22.2 },
  { id: 'kaohsiung', name: 'KAOHSIUNG', country: 'TW', lon: 120.2, lat: 22.55 },
  { id: 'shanghai', name: 'SHANGHAI', country: 'CN', lon: 122.4, lat: 30.8 },
  { id: 'busan', name: 'BUSAN', country: 'KR', lon: 129.05, lat: 35.05 },
  { id: 'tokyo', name: 'TOKYO', country: 'JP', lon: 139.75, lat: 35.1 },
  { id: 'sydney', name: 'SYDNEY', country: 'AU', lon: 151.35, lat: -33.85 },
  { id: 'melbourne', name: 'MELBOURNE', country: 'AU', lon: 144.6, lat: -38.4 },
  { id: 'losangeles', name: 'LOS ANGELES', country: 'US', lon: -118.25, lat: 33.6 },
  { id: 'oakland', name: 'OAKLAND', country: 'US', lon: -122.75, lat: 37.75 },
  { id: 'balboa', name: 'BALBOA', country: 'PA', lon: -79.55, lat: 8.85 },
  { id: 'colon', name: 'COLON', country: 'PA', lon: -79.9, lat: 9.4 },
  { id: 'newyork', name: 'NEW YORK', country: 'US', lon: -73.85, lat: 40.45 },
  { id: 'savannah', name: 'SAVANNAH', country: 'US', lon: -80.7, lat: 31.95 },
  { id: 'houston', name: 'HOUSTON', country: 'US', lon: -94.55, lat: 29.2 },
  { id: 'halifax', name: 'HALIFAX', country: 'CA', lon: -63.5, lat: 44.55 },
  { id: 'santos', name: 'SANTOS', country: 'BR', lon: -46.3, lat: -24.05 },
  { id: 'riodejaneiro', name: 'RIO DE JANEIRO', country: 'BR', lon: -43.15, lat: -23.05 },
  { id: 'capetown', name: 'CAPE TOWN', country: 'ZA', lon: 18.3, lat: -33.8 },
  { id: 'durban', name: 'DURBAN', country: 'ZA', lon: 31.15, lat: -29.9 },
  { id: 'lagos', name: 'LAGOS', country: 'NG', lon: 3.4, lat: 6.3 },
];

/** Lane waypoints: straits, capes and ocean turning points. */
export const WAYPOINTS: Readonly<Record<string, LonLat>> = {
  dover: { lon: 1.6, lat: 51.05 },
  channelE: { lon: 0, lat: 50.2 },
  channelW: { lon: -3, lat: 49.6 },
  ushant: { lon: -6, lat: 48.8 },
  northSeaS: { lon: 2.8, lat: 51.75 },
  northSea: { lon: 4, lat: 54 },
  germanBight: { lon: 7.2, lat: 54.2 },
  skagerrakW: { lon: 7, lat: 57.6 },
  skagen: { lon: 10.9, lat: 58 },
  kattegat: { lon: 11.2, lat: 56.6 },
  greatBelt: { lon: 11, lat: 55.5 },
  fehmarn: { lon: 11.3, lat: 54.6 },
  balticW: { lon: 12.5, lat: 54.7 },
  balticS: { lon: 15.5, lat: 55.2 },
  helNorth: { lon: 18.5, lat: 55 },
  gdanskBay: { lon: 19, lat: 54.6 },
  finisterre: { lon: -10.3, lat: 43.2 },
  stVincent: { lon: -10, lat: 36.8 },
  gibraltar: { lon: -5.6, lat: 35.95 },
  alboran: { lon: 0, lat: 37 },
  valenciaOff: { lon: 0.6, lat: 39 },
  sardiniaS: { lon: 8, lat: 37.8 },
  ligurian: { lon: 8.7, lat: 41 },
  sicilyCh: { lon: 11.8, lat: 37 },
  ionian: { lon: 15, lat: 35.5 },
  libyanSea: { lon: 20, lat: 34.2 },
  creteS: { lon: 25, lat: 33.2 },
  maleas: { lon: 23.3, lat: 36.2 },
  suez: { lon: 32.55, lat: 29.85 },
  redSeaN: { lon: 33.9, lat: 27.3 },
  redSeaM: { lon: 38, lat: 20.5 },
  redSeaS: { lon: 41.8, lat: 14.5 },
  babElMandeb: { lon: 43.35, lat: 12.6 },
  adenGulf: { lon: 45.5, lat: 12.2 },
  guardafui: { lon: 52, lat: 12.8 },
  arabianSea: { lon: 58, lat: 17 },
  omanGulfE: { lon: 61, lat: 22 },
  omanGulf: { lon: 57.4, lat: 25 },
  hormuz: { lon: 56.55, lat: 26.45 },
  persianGulf: { lon: 55.6, lat: 26.1 },
  gujaratOff: { lon: 66, lat: 22.5 },
  konkanOff: { lon: 72.3, lat: 17.5 },
  malabarOff: { lon: 74, lat: 11 },
  comorin: { lon: 77, lat: 6.8 },
  dondra: { lon: 80.6, lat: 5.4 },
  andaman: { lon: 95.5, lat: 6.5 },
  malaccaN: { lon: 97.5, lat: 6 },
  malacca: { lon: 99.5, lat: 4 },
  malaccaS: { lon: 102.6, lat: 1.6 },
  singaporeE: { lon: 104.5, lat: 1.2 },
  southChinaS: { lon: 105.5, lat: 3.5 },
  vietnamOff: { lon: 110, lat: 11.5 },
  luzonStrait: { lon: 120.6, lat: 21.3 },
  taiwanStraitS: { lon: 118.5, lat: 23.2 },
  taiwanStraitN: { lon: 120, lat: 24.8 },
  eastChinaS: { lon: 121.8, lat: 26.8 },
  zhoushan: { lon: 122.6, lat: 29.5 },
  eastChinaSea: { lon: 125, lat: 33 },
  tsushima: { lon: 129.3, lat: 33.6 },
  kyushuW: { lon: 129.5, lat: 31.5 },
  osumi: { lon: 131, lat: 30.8 },
  shikokuS: { lon: 134.5, lat: 32.8 },
  kiiS: { lon: 138.5, lat: 33.9 },
  tokyoS: { lon: 139.8, lat: 34.6 },
  bosoE: { lon: 141.5, lat: 35 },
  pacificW: { lon: 150, lat: 38 },
  pacificN1: { lon: 170, lat: 45 },
  pacificN2: { lon: -170, lat: 47 },
  pacificE: { lon: -135, lat: 40 },
  philippineSea: { lon: 135, lat: 25 },
  ogasawara: { lon: 141, lat: 30 },
  marianas: { lon: 145, lat: 12 },
  equatorW: { lon: 158, lat: 0 },
  coralSea: { lon: 162, lat: -15 },
  tasmanN: { lon: 156, lat: -28 },
  jervis: { lon: 151.6, lat: -35 },
  howe: { lon: 150.5, lat: -37.8 },
  bassStrait: { lon: 146.5, lat: -39.6 },
  otway: { lon: 143.5, lat: -39.2 },
  kangaroo: { lon: 140.5, lat: -39 },
  bightE: { lon: 136.5, lat: -36.5 },
  bightW: { lon: 124, lat: -35.5 },
  leeuwin: { lon: 114.5, lat: -35.8 },
  australiaW: { lon: 113.3, lat: -30 },
  northWestCape: { lon: 112.8, lat: -22 },
  timorSeaW: { lon: 116, lat: -11 },
  lombok: { lon: 115.75, lat: -8.6 },
  javaSeaE: { lon: 115, lat: -6.5 },
  javaSea: { lon: 112, lat: -5.3 },
  karimata: { lon: 108.5, lat: -2.5 },
  natuna: { lon: 107, lat: 0.5 },
  californiaS: { lon: -121.2, lat: 34.3 },
  bajaOff: { lon: -118, lat: 30 },
  mexicoOff: { lon: -112, lat: 21 },
  tehuantepec: { lon: -100, lat: 14 },
  centralAmOff: { lon: -88, lat: 10 },
  azuero: { lon: -80.5, lat: 6.8 },
  caribbeanS: { lon: -77, lat: 11 },
  caribbeanE: { lon: -72, lat: 13.2 },
  windward: { lon: -73.7, lat: 20.1 },
  bahamasE: { lon: -72.5, lat: 26 },
  hatterasOff: { lon: -74, lat: 36 },
  carolinaOff: { lon: -78.5, lat: 31 },
  floridaE: { lon: -79.7, lat: 26.5 },
  floridaStraitE: { lon: -79.6, lat: 24.5 },
  floridaStraitW: { lon: -83, lat: 24 },
  gulfOfMexico: { lon: -90, lat: 27 },
  yucatan: { lon: -85.9, lat: 21.7 },
  mosquito: { lon: -82.5, lat: 15 },
  nantucket: { lon: -69.5, lat: 40.5 },
  novaScotiaS: { lon: -63, lat: 43.8 },
  atlanticNW: { lon: -50, lat: 43 },
  atlanticNE: { lon: -20, lat: 48 },
  azores: { lon: -28, lat: 38 },
  leewards: { lon: -60, lat: 17 },
  windwards: { lon: -60, lat: 12.5 },
  guianaOff: { lon: -48, lat: 6 },
  saoRoque: { lon: -34, lat: -3 },
  recifeOff: { lon: -33.5, lat: -8 },
  abrolhos: { lon: -38, lat: -20 },
  frioOff: { lon: -41, lat: -23.8 },
  ilhaBela: { lon: -44, lat: -24 },
  southAtlantic: { lon: -40, lat: -25 },
  moroccoOff: { lon: -11, lat: 33 },
  canaries: { lon: -18.5, lat: 21 },
  dakarW: { lon: -18.5, lat: 14.5 },
  liberiaOff: { lon: -12, lat: 4 },
  ivoryOff: { lon: -5, lat: 3.5 },
  beninOff: { lon: 2, lat: 5.5 },
  guineaGulf: { lon: 5, lat: -5 },
  namibiaOff: { lon: 11, lat: -25 },
  capePoint: { lon: 18.2, lat: -34.6 },
  agulhas: { lon: 20, lat: -35.3 },
  algoaOff: { lon: 25, lat: -34.6 },
  transkeiOff: { lon: 28.5, lat: -33.5 },
  natalOff: { lon: 31.5, lat: -30.2 },
  durbanSE: { lon: 36, lat: -32 },
  indianS: { lon: 55, lat: -28 },
  indianC: { lon: 70, lat: -10 },
};

/** Undirected lane legs between port ids and waypoint names. */
export const LANES: ReadonlyArray<readonly [string, string]> = [
  // North-west Europe
  ['rotterdam', 'northSeaS'], ['northSeaS', 'dover'], ['antwerp', 'dover'], ['felixstowe', 'dover'],
  ['felixstowe', 'northSeaS'], ['rotterdam', 'northSea'], ['northSea', 'germanBight'], ['germanBight', 'hamburg'],
  ['northSea', 'skagerrakW'], ['germanBight', 'skagerrakW'], ['northSea', 'bergen'], ['skagerrakW', 'skagen'],
  ['skagen', 'gothenburg'], ['skagen', 'kattegat'], ['kattegat', 'greatBelt'], ['greatBelt', 'fehmarn'],
  ['fehmarn', 'balticW'], ['balticW', 'balticS'], ['balticS', 'helNorth'], ['helNorth', 'gdanskBay'],
  ['gdanskBay', 'gdansk'], ['dover', 'channelE'], ['channelE', 'lehavre'], ['channelE', 'channelW'],
  ['channelW', 'ushant'], ['ushant', 'finisterre'], ['finisterre', 'stVincent'], ['stVincent', 'gibraltar'],
  ['ushant', 'atlanticNE'],
  // Mediterranean and Suez
  ['gibraltar', 'algeciras'], ['gibraltar', 'alboran'], ['alboran', 'valenciaOff'], ['valenciaOff', 'valencia'],
  ['alboran', 'sardiniaS'], ['sardiniaS', 'ligurian'], ['ligurian', 'genoa'], ['sardiniaS', 'sicilyCh'],
  ['sicilyCh', 'ionian'], ['ionian', 'libyanSea'], ['libyanSea', 'creteS'], ['libyanSea', 'maleas'],
  ['maleas', 'piraeus'], ['creteS', 'portsaid'], ['portsaid', 'suez'], ['suez', 'redSeaN'], ['redSeaN', 'redSeaM'],
  ['redSeaM', 'jeddah'], ['redSeaM', 'redSeaS'], ['redSeaS', 'babElMandeb'], ['babElMandeb', 'adenGulf'],
  ['adenGulf', 'guardafui'],
  // Arabian Sea, Gulf, India
  ['guardafui', 'arabianSea'], ['arabianSea', 'omanGulfE'], ['omanGulfE', 'omanGulf'], ['omanGulf', 'hormuz'],
  ['hormuz', 'persianGulf'], ['persianGulf', 'jebelali'], ['mumbai', 'gujaratOff'], ['gujaratOff', 'omanGulfE'],
  ['guardafui', 'mumbai'], ['mumbai', 'konkanOff'], ['konkanOff', 'malabarOff'], ['malabarOff', 'comorin'],
  ['comorin', 'colombo'], ['colombo', 'dondra'], ['comorin', 'dondra'], ['guardafui', 'dondra'],
  // Bay of Bengal to the Far East
  ['dondra', 'andaman'], ['andaman', 'malaccaN'], ['malaccaN', 'malacca'], ['malacca', 'portklang'],
  ['portklang', 'malaccaS'], ['malaccaS', 'singapore'], ['singapore', 'singaporeE'], ['singaporeE', 'southChinaS'],
  ['southChinaS', 'vietnamOff'], ['vietnamOff', 'hongkong'], ['hongkong', 'luzonStrait'],
  ['luzonStrait', 'kaohsiung'], ['hongkong', 'taiwanStraitS'], ['taiwanStraitS', 'taiwanStraitN'],
  ['taiwanStraitN', 'eastChinaS'], ['eastChinaS', 'zhoushan'], ['zhoushan', 'shanghai'],
  ['shanghai', 'eastChinaSea'], ['eastChinaSea', 'busan'], ['busan', 'tsushima'], ['tsushima', 'kyushuW'],
  ['kyushuW', 'osumi'], ['eastChinaSea', 'osumi'], ['osumi', 'shikokuS'], ['shikokuS', 'kiiS'], ['kiiS', 'tokyoS'],
  ['tokyoS', 'tokyo'], ['kiiS', 'bosoE'], ['tokyoS', 'bosoE'], ['luzonStrait', 'philippineSea'],
  ['philippineSea', 'ogasawara'], ['ogasawara', 'tokyoS'],
  // Pacific
  ['bosoE', 'pacificW'], ['pacificW', 'pacificN1'], ['pacificN1', 'pacificN2'], ['pacificN2', 'pacificE'],
  ['pacificE', 'losangeles'], ['pacificE', 'oakland'], ['oakland', 'californiaS'], ['californiaS', 'losangeles'],
  ['losangeles', 'bajaOff'], ['bajaOff', 'mexicoOff'], ['mexicoOff', 'tehuantepec'],
  ['tehuantepec', 'centralAmOff'], ['centralAmOff', 'azuero'], ['azuero', 'balboa'], ['balboa', 'colon'],
  ['ogasawara', 'marianas'], ['marianas', 'equatorW'], ['equatorW', 'coralSea'], ['coralSea', 'tasmanN'],
  ['tasmanN', 'sydney'],
  // Australia and Indonesia
  ['sydney', 'jervis'], ['jervis', 'howe'], ['howe', 'bassStrait'], ['bassStrait', 'melbourne'],
  ['melbourne', 'otway'], ['otway', 'kangaroo'], ['kangaroo', 'bightE'], ['bightE', 'bightW'], ['bightW', 'leeuwin'],
  ['leeuwin', 'australiaW'], ['australiaW', 'northWestCape'], ['northWestCape', 'timorSeaW'],
  ['timorSeaW', 'lombok'], ['lombok', 'javaSeaE'], ['javaSeaE', 'javaSea'], ['javaSea', 'karimata'],
  ['karimata', 'natuna'], ['natuna', 'singaporeE'],
  // Americas, Atlantic
  ['colon', 'caribbeanS'], ['caribbeanS', 'caribbeanE'], ['caribbeanE', 'windwards'], ['colon', 'mosquito'],
  ['mosquito', 'yucatan'], ['yucatan', 'gulfOfMexico'], ['gulfOfMexico', 'houston'],
  ['gulfOfMexico', 'floridaStraitW'], ['floridaStraitW', 'floridaStraitE'], ['floridaStraitE', 'floridaE'],
  ['floridaE', 'savannah'], ['savannah', 'carolinaOff'], ['carolinaOff', 'hatterasOff'], ['hatterasOff', 'newyork'],
  ['caribbeanS', 'windward'], ['windward', 'bahamasE'], ['bahamasE', 'carolinaOff'], ['bahamasE', 'hatterasOff'],
  ['newyork', 'nantucket'], ['nantucket', 'novaScotiaS'], ['novaScotiaS', 'halifax'], ['nantucket', 'atlanticNW'],
  ['novaScotiaS', 'atlanticNW'], ['atlanticNW', 'atlanticNE'], ['atlanticNW', 'azores'], ['azores', 'atlanticNE'],
  ['azores', 'stVincent'], ['azores', 'leewards'], ['leewards', 'windward'], ['leewards', 'windwards'],
  ['windwards', 'guianaOff'], ['guianaOff', 'saoRoque'], ['saoRoque', 'recifeOff'], ['recifeOff', 'abrolhos'],
  ['abrolhos', 'frioOff'], ['frioOff', 'riodejaneiro'], ['riodejaneiro', 'ilhaBela'], ['ilhaBela', 'santos'],
  ['frioOff', 'southAtlantic'], ['southAtlantic', 'capetown'], ['saoRoque', 'dakarW'],
  // Africa
  ['gibraltar', 'moroccoOff'], ['moroccoOff', 'canaries'], ['canaries', 'dakarW'], ['dakarW', 'liberiaOff'],
  ['liberiaOff', 'ivoryOff'], ['ivoryOff', 'beninOff'], ['beninOff', 'lagos'], ['beninOff', 'guineaGulf'],
  ['guineaGulf', 'namibiaOff'], ['namibiaOff', 'capetown'], ['capetown', 'capePoint'], ['capePoint', 'agulhas'], ['agulhas', 'algoaOff'],
  ['algoaOff', 'transkeiOff'], ['transkeiOff', 'natalOff'], ['natalOff', 'durban'], ['durban', 'durbanSE'],
  ['durbanSE', 'indianS'], ['indianS', 'indianC'], ['indianC', 'dondra'], ['agulhas', 'durbanSE'],
];

export interface LaneGraph {
  nodes: Map<string, LonLat>;
  adjacency: Map<string, Array<{ to: string; nm: number }>>;
}

export function buildLaneGraph(): LaneGraph {
  const nodes = new Map<string, LonLat>();
  for (const p of PORTS) nodes.set(p.id, { lon: p.lon, lat: p.lat });
  for (const [name, at] of Object.entries(WAYPOINTS)) {
    if (nodes.has(name)) throw new Error(`lane waypoint ${name} clashes with a port id`);
    nodes.set(name, at);
  }
  const adjacency = new Map<string, Array<{ to: string; nm: number }>>();
  for (const [a, b] of LANES) {
    const pa = nodes.get(a);
    const pb = nodes.get(b);
    if (!pa || !pb) throw new Error(`lane ${a} - ${b} names an unknown node`);
    const nm = rhumbDistance(pa, pb);
    for (const [x, y] of [[a, b], [b, a]] as const) {
      let list = adjacency.get(x);
      if (!list) adjacency.set(x, (list = []));
      list.push({ to: y, nm });
    }
  }
  return { nodes, adjacency };
}

/** Shortest path (node ids) between two nodes, or null when unconnected. */
export function shortestPath(g: LaneGraph, from: string, to: string): string[] | null {
  const dist = new Map<string, number>([[from, 0]]);
  const prev = new Map<string, string>();
  const open = new Set<string>([from]);
  while (open.size > 0) {
    let best: string | null = null;
    let bestD = Number.POSITIVE_INFINITY;
    for (const n of open) {
      const d = dist.get(n) ?? Number.POSITIVE_INFINITY;
      if (d < bestD) {
        bestD = d;
        best = n;
      }
    }
    if (best === null) break;
    open.delete(best);
    if (best === to) break;
    for (const e of g.adjacency.get(best) ?? []) {
      const nd = bestD + e.nm;
      if (nd < (dist.get(e.to) ?? Number.POSITIVE_INFINITY)) {
        dist.set(e.to, nd);
        prev.set(e.to, best);
        open.add(e.to);
      }
    }
  }
  if (!dist.has(to)) return null;
  const path = [to];
  while (path[0] !== from) path.unshift(prev.get(path[0]!)!);
  return path;
}
