import { describe, expect, it } from 'vitest';
import { parseCommand, SLO_SEARCH_EXAMPLE } from '../../../bot/command-text/parse';

const strip = (example: string) => example.replace(/^\/floorplan\s*/, '');

function errorOf(text: string) {
  const result = parseCommand(text);
  if (result.ok) throw new Error(`"${text}" parsed`);
  return result.error;
}

describe('bench … slo-search', () => {
  it('turns the objectives into the API SLO targets, in ms, with the search defaults', () => {
    expect(parseCommand(strip(SLO_SEARCH_EXAMPLE))).toEqual({
      ok: true,
      command: {
        kind: 'bench',
        modelVariant: 'llama-3.1-8b-lora',
        box: 'dgx-spark',
        profile: {
          concurrency: [],
          prompts: 50,
          inputTokens: 512,
          outputTokens: 256,
          sloSearch: { slos: { ttftP95Ms: 200, tpotMeanMs: 20 }, maxConcurrency: 256 },
        },
      },
    });
  });

  it('accepts every objective the API knows, with or without the _ms and ms units', () => {
    const result = parseCommand(
      'bench llama-3.1-8b-lora slo-search ttft_p95<=200 ttft_p99_ms<=400 tpot_mean<=20ms tpot_p99<=30 itl_p99<=50 e2el_p99<=9000 max-concurrency=64 prompts=20',
    );
    expect(result.ok && result.command.kind === 'bench' && result.command.profile).toEqual({
      concurrency: [],
      prompts: 20,
      inputTokens: 512,
      outputTokens: 256,
      sloSearch: {
        slos: {
          ttftP95Ms: 200,
          ttftP99Ms: 400,
          tpotMeanMs: 20,
          tpotP99Ms: 30,
          itlP99Ms: 50,
          e2elP99Ms: 9000,
        },
        maxConcurrency: 64,
      },
    });
  });

  it('says exactly what is wrong with bad SLO syntax, with an example that works', () => {
    expect(errorOf('bench llama-3.1-8b-lora slo-search')).toEqual({
      message:
        'an SLO search needs at least one objective: `ttft_p95`, `ttft_p99`, `tpot` (the mean), `tpot_p99`, `itl_p99` or `e2el_p99`, in ms, e.g. `slo-search ttft_p95<=200 tpot<=20`.',
      example: SLO_SEARCH_EXAMPLE,
      argument: 'slo-search',
    });
    expect(errorOf('bench llama-3.1-8b-lora slo-search ttft_p50<=200')).toEqual({
      message:
        '`ttft_p50` is not an objective: use `ttft_p95`, `ttft_p99`, `tpot` (the mean), `tpot_p99`, `itl_p99` or `e2el_p99`, in ms, e.g. `ttft_p95<=200`.',
      example: SLO_SEARCH_EXAMPLE,
      argument: 'ttft_p50',
    });
    expect(errorOf('bench llama-3.1-8b-lora slo-search ttft_p95>=200').message).toBe(
      '`ttft_p95>=200`: write an objective as `ttft_p95<=200` (milliseconds).',
    );
    expect(errorOf('bench llama-3.1-8b-lora slo-search tpot<=-5').message).toBe(
      '`tpot` must be positive, got `-5`.',
    );
    expect(errorOf('bench llama-3.1-8b-lora slo-search tpot<=fast').message).toBe(
      '`tpot<=fast`: the limit must be a positive number of milliseconds, e.g. `tpot<=200`.',
    );
    expect(errorOf('bench llama-3.1-8b-lora slo-search tpot<=20 tpot_mean<=30').message).toBe(
      '`tpot_mean` is given twice.',
    );
    expect(errorOf('bench llama-3.1-8b-lora ttft_p95<=200').message).toBe(
      'objectives such as `ttft_p95<=200` go with an SLO search: add `slo-search`.',
    );
    expect(errorOf('bench llama-3.1-8b-lora slo-search ttft_p95<=200 concurrency=1,8').message).toBe(
      '`concurrency=` is for a fixed sweep; an SLO search picks its own levels: cap them with `max-concurrency=64`.',
    );
  });
});

describe('runs and cancel', () => {
  it('pages runs', () => {
    expect(parseCommand('runs queued page=2')).toEqual({
      ok: true,
      command: { kind: 'runs', status: 'QUEUED', limit: 10, page: 2 },
    });
  });

  it('says exactly what is wrong with bad runs and cancel input', () => {
    expect(errorOf('runs page=0')).toEqual({
      message: '`page` must be between 1 and 10000, got `0`.',
      example: '/floorplan runs queued page=2',
      argument: 'page',
    });
    expect(errorOf('runs page=two').message).toBe('`page=two` is not a number: write digits, e.g. `page=2`.');
    expect(errorOf('runs stuck').message).toBe(
      '`stuck` is not a run status: use queued, running, finished, failed or cancelled.',
    );
    expect(errorOf('cancel')).toEqual({
      message: 'say which run, by its id (see `/floorplan runs`).',
      example: '/floorplan cancel clx0run123',
      argument: 'id',
    });
    expect(errorOf('cancel run1 run2').message).toBe('`cancel` takes one run id.');
    expect(errorOf('cancel ../etc').message).toBe('`../etc` is not a run id.');
  });
});
