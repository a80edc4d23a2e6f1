// Live sources: the netconsole receiver (`crashlog listen`) and the running kernel's log
// (`crashlog watch`). Both feed the same detectors as `crashlog report`, record by record.
export { Listener, type CrashLine, type ListenOptions, type ListenStats } from './listener.js';
export { DEFAULT_PORT, parseListenAddress, type ListenAddress } from './address.js';
export { watchKernelLog, type WatchEvent, type WatchOptions } from './watcher.js';
