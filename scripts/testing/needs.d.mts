export declare const requireAll: boolean;
/** Bootstrap servers of the real Apache Kafka for tests, or false (after a loud notice). */
export declare function realKafka(): string | false;
/** Path of an executable, or false (after a loud notice). */
export declare function command(name: string): string | false;
/** '/usr/bin/python3' when it can import the module, or false (after a loud notice). */
export declare function pythonModule(module: string): string | false;
/** Absolute path of a file or folder in ../shared beside the repository, or false (after a loud notice). */
export declare function sharedData(rel: string): string | false;
/** The pinned current confluent-kafka version (PyPI). */
export declare const CURRENT_CONFLUENT_KAFKA: string;
/** Python of the venv with the current confluent-kafka (created on first use), or false (after a loud notice). */
export declare function currentConfluentPython(): string | false;
/** True when the npm registry answers `npm ping`, or false (after a loud notice). */
export declare function npmRegistry(): boolean;
/** Path of the Go program built from the module in `dir` (cached by source hash), or false (after a loud notice). */
export declare function goProgram(dir: string, name: string): string | false;
