import { type Logger, LogLevel } from '@slack/bolt';

const LEVEL_ORDER: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 0,
  [LogLevel.INFO]: 1,
  [LogLevel.WARN]: 2,
  [LogLevel.ERROR]: 3,
};

/** Bolt's Logger interface on the console, one line per message, prefixed with level and name. */
export function createConsoleLogger(name = 'floorplan-bot', level: LogLevel = LogLevel.INFO): Logger {
  let currentLevel = level;
  let currentName = name;
  const write = (messageLevel: LogLevel, parts: unknown[]) => {
    if (LEVEL_ORDER[messageLevel] < LEVEL_ORDER[currentLevel]) return;
    const line = `[${messageLevel.toUpperCase()}] ${currentName} ${parts.map((part) => (typeof part === 'string' ? part : String(part))).join(' ')}`;
    if (messageLevel === LogLevel.ERROR) console.error(line);
    else if (messageLevel === LogLevel.WARN) console.warn(line);
    else console.info(line);
  };
  return {
    debug: (...parts) => write(LogLevel.DEBUG, parts),
    info: (...parts) => write(LogLevel.INFO, parts),
    warn: (...parts) => write(LogLevel.WARN, parts),
    error: (...parts) => write(LogLevel.ERROR, parts),
    setLevel: (next) => {
      currentLevel = next;
    },
    getLevel: () => currentLevel,
    setName: (next) => {
      currentName = next;
    },
  };
}
