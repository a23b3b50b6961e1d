import { describe, expect, it } from 'vitest';
import { BotConfigError, hasSlackCredentials, loadBotConfig } from '../../../bot/config';
import { createRoleDirectory } from '../../../bot/roles';

const valid = {
  SLACK_SIGNING_SECRET: 'secret-0123456789',
  SLACK_BOT_TOKEN: 'xoxb-1-2-3',
  FLOORPLAN_BOT_TOKEN: 'fp_bot',
  FLOORPLAN_OPERATORS: 'U0AAA, U0BBB',
  FLOORPLAN_ADMINS: 'W0ADMIN',
};

describe('bot configuration', () => {
  it('reads a valid environment, HTTP mode by default', () => {
    const config = loadBotConfig(valid);
    expect(config.appToken).toBeUndefined();
    expect(config.operatorUserIds).toEqual(['U0AAA', 'U0BBB']);
    expect(config.adminUserIds).toEqual(['W0ADMIN']);
    expect(config.port).toBe(3000);
    expect(config.floorplanApiUrl).toBe('http://127.0.0.1:4000/graphql');
    expect(loadBotConfig({ ...valid, SLACK_APP_TOKEN: 'xapp-1-abc' }).appToken).toBe('xapp-1-abc');
  });

  it('fails fast with a message naming each bad variable', () => {
    const attempt = () =>
      loadBotConfig({
        ...valid,
        SLACK_BOT_TOKEN: 'xoxp-user',
        FLOORPLAN_OPERATORS: 'alice',
        BOT_PORT: 'eighty',
        SLACK_SIGNING_SECRET: undefined,
      });
    expect(attempt).toThrow(BotConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('SLACK_BOT_TOKEN: SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
      expect(message).toContain('FLOORPLAN_OPERATORS');
      expect(message).toContain('not names');
      expect(message).toContain('BOT_PORT');
      expect(message).toContain('SLACK_SIGNING_SECRET is required');
    }
  });

  it('tells npm start whether to start the bot', () => {
    expect(hasSlackCredentials(valid)).toBe(true);
    expect(hasSlackCredentials({})).toBe(false);
  });

  it('maps roles by user id and names who can operate', () => {
    const roles = createRoleDirectory(['U0OP'], ['U0AD']);
    expect(roles.roleOf('U0OP')).toBe('operator');
    expect(roles.roleOf('U0AD')).toBe('admin');
    expect(roles.canOperate('U0AD')).toBe(true);
    expect(roles.canOperate('U0OTHER')).toBe(false);
    expect(roles.whoCanOperate()).toBe('Operators who can: <@U0OP>, <@U0AD>.');
    expect(createRoleDirectory([], []).whoCanOperate()).toContain('No operators are configured');
  });
});

describe('createBotApp', () => {
  it('builds a Socket Mode app when an app token is set, without connecting until start', async () => {
    const { createBotApp } = await import('../../../bot/app');
    const bot = createBotApp({ ...loadBotConfig({ ...valid, SLACK_APP_TOKEN: 'xapp-1-test' }), port: 0 });
    expect(bot.app).toBeDefined();
    await bot.stop();
  });
});
