// Calls back, debounced, whenever a file in a folder changes. Uses fs.watch, and falls back
// to polling (fs.watchFile) where watching is unavailable, saying so.
import fs from 'node:fs';
import path from 'node:path';

export interface FolderWatcher {
  /** "fs.watch" or a sentence saying why it polls. */
  readonly mode: string;
  close(): void;
}

export interface WatchOptions {
  readonly debounceMs?: number;
  readonly pollMs?: number;
  /** Forces polling, for machines (and tests) where fs.watch misbehaves. */
  readonly poll?: boolean;
}

export function watchFolder(folder: string, onChange: (file: string) => void, options: WatchOptions = {}): FolderWatcher {
  const debounceMs = options.debounceMs ?? 150;
  let timer: NodeJS.Timeout | undefined;
  let changed = '';
  const fire = (file: string) => {
    changed = file;
    clearTimeout(timer);
    timer = setTimeout(() => onChange(changed), debounceMs);
  };
  const stopTimer = () => clearTimeout(timer);

  if (!options.poll) {
    try {
      const watcher = fs.watch(folder, (_event, file) => {
        // Editors save through temporary files; only real source files count.
        if (file && /\.(ts|mts|cts|js|json)$/.test(String(file))) fire(path.join(folder, String(file)));
      });
      watcher.on('error', () => {}); // the folder went away; the next save recreates nothing to watch
      return { mode: 'fs.watch', close: () => (stopTimer(), watcher.close()) };
    } catch (error) {
      return poll(folder, fire, options.pollMs ?? 500, `polling every ${(options.pollMs ?? 500) / 1000} s (file watching unavailable: ${(error as NodeJS.ErrnoException).code ?? String(error)})`, stopTimer);
    }
  }
  return poll(folder, fire, options.pollMs ?? 500, `polling every ${(options.pollMs ?? 500) / 1000} s`, stopTimer);
}

function poll(folder: string, fire: (file: string) => void, intervalMs: number, mode: string, stopTimer: () => void): FolderWatcher {
  const files = fs.readdirSync(folder).filter((name) => name.endsWith('.ts')).map((name) => path.join(folder, name));
  const listener = (file: string) => (current: fs.Stats, previous: fs.Stats) => {
    if (current.mtimeMs !== previous.mtimeMs || current.size !== previous.size) fire(file);
  };
  const listeners = files.map((file) => {
    const onStat = listener(file);
    fs.watchFile(file, { interval: intervalMs }, onStat);
    return { file, onStat };
  });
  return {
    mode,
    close: () => {
      stopTimer();
      for (const { file, onStat } of listeners) fs.unwatchFile(file, onStat);
    },
  };
}
