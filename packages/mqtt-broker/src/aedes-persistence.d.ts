// aedes-persistence ships types for its main entry only; session-store.ts imports its in-memory
// implementation by file and casts it to the interface it uses.
declare module 'aedes-persistence/asyncPersistence.js' {
  const MemoryPersistence: unknown;
  export default MemoryPersistence;
}
