import { createBotApp } from './app';
import { BotConfigError, loadBotConfig } from './config';

/** `npm run bot`: validate the environment, start the bot, stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadBotConfig>;
  try {
    config = loadBotConfig();
  } catch (error) {
    if (error instanceof BotConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const bot = createBotApp(config);
  await bot.start();
  const shutdown = (signal: string) => {
    console.info(`floorplan bot: ${signal}, stopping`);
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(`floorplan bot failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
