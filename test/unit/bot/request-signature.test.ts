import { describe, expect, it } from 'vitest';
import { computeSlackSignature, verifySlackSignature } from '../../../bot/security/request-signature';

// Slack's worked example from "Verifying requests from Slack".
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = '1531420618';
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const AT_TIMESTAMP = Number(TIMESTAMP);

describe('Slack request signatures', () => {
  it("computes Slack's documented example", () => {
    expect(computeSlackSignature(SECRET, TIMESTAMP, BODY)).toBe(SIGNATURE);
  });

  it("verifies Slack's documented example at its own time, as a string or as bytes", () => {
    expect(
      verifySlackSignature(
        SECRET,
        { signature: SIGNATURE, timestamp: TIMESTAMP, rawBody: BODY },
        AT_TIMESTAMP,
      ),
    ).toEqual({ valid: true });
    expect(
      verifySlackSignature(
        SECRET,
        { signature: SIGNATURE, timestamp: TIMESTAMP, rawBody: Buffer.from(BODY) },
        AT_TIMESTAMP,
      ),
    ).toEqual({
      valid: true,
    });
  });

  it('accepts up to five minutes of skew either way, and refuses beyond it', () => {
    const request = { signature: SIGNATURE, timestamp: TIMESTAMP, rawBody: BODY };
    expect(verifySlackSignature(SECRET, request, AT_TIMESTAMP + 300).valid).toBe(true);
    expect(verifySlackSignature(SECRET, request, AT_TIMESTAMP - 300).valid).toBe(true);
    expect(verifySlackSignature(SECRET, request, AT_TIMESTAMP + 301)).toEqual({
      valid: false,
      reason: 'stale-timestamp',
    });
    // Bolt misses this one: a request stamped in the future.
    expect(verifySlackSignature(SECRET, request, AT_TIMESTAMP - 301)).toEqual({
      valid: false,
      reason: 'future-timestamp',
    });
  });

  it('refuses tampered, unsigned, malformed and wrongly keyed requests', () => {
    const verify = (
      overrides: Partial<{ signature: string | undefined; timestamp: string | undefined; rawBody: string }>,
      secret = SECRET,
    ) =>
      verifySlackSignature(
        secret,
        { signature: SIGNATURE, timestamp: TIMESTAMP, rawBody: BODY, ...overrides },
        AT_TIMESTAMP,
      );
    expect(verify({ rawBody: BODY.replace('roadrunner', 'coyote') })).toEqual({
      valid: false,
      reason: 'signature-mismatch',
    });
    expect(verify({ signature: undefined })).toEqual({ valid: false, reason: 'missing-signature' });
    expect(verify({ timestamp: undefined })).toEqual({ valid: false, reason: 'missing-timestamp' });
    expect(verify({ timestamp: '1531420618.5' })).toEqual({ valid: false, reason: 'malformed-timestamp' });
    expect(verify({ signature: SIGNATURE.slice(0, -2) })).toEqual({
      valid: false,
      reason: 'malformed-signature',
    });
    expect(verify({ signature: SIGNATURE.toUpperCase() })).toEqual({
      valid: false,
      reason: 'malformed-signature',
    });
    expect(verify({}, `${SECRET}x`)).toEqual({ valid: false, reason: 'signature-mismatch' });
    expect(verify({ timestamp: '1531420619' })).toEqual({ valid: false, reason: 'signature-mismatch' });
  });
});
