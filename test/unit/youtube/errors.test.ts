/**
 * Google's error bodies, classified into what the source does: the reasons decide, the message
 * is kept for the operator, and a body that is not Google's is garbage.
 */
import { describe, expect, it } from 'vitest';
import { classifyError, describeFailure } from '../../../adapters/youtube/errors.js';
import { GOOGLE_ERRORS } from '../../helpers/youtube/fake-youtube.js';

const body = (code: number, message: string, reason?: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ error: { code, message, ...(reason ? { errors: [{ message, domain: 'youtube.liveChat', reason }] } : {}), ...extra } });

describe('classifyError', () => {
  it('reads the live chat reasons', () => {
    expect(classifyError(403, body(403, 'The live chat is no longer live.', 'liveChatEnded'))).toEqual({
      kind: 'chat_ended',
      message: 'The live chat is no longer live.',
    });
    expect(classifyError(403, body(403, 'Chat disabled.', 'liveChatDisabled')).kind).toBe('chat_disabled');
    expect(classifyError(404, body(404, 'Not found.', 'liveChatNotFound')).kind).toBe('not_found');
    expect(classifyError(403, body(403, 'Too soon.', 'rateLimitExceeded')).kind).toBe('rate_limited');
    expect(classifyError(429, body(429, 'Slow down.')).kind).toBe('rate_limited');
  });

  it('reads quotaExceeded (domain youtube.quota) and dailyLimitExceeded', () => {
    expect(classifyError(403, GOOGLE_ERRORS.quotaExceeded).kind).toBe('quota_exceeded');
    expect(classifyError(403, body(403, 'Daily Limit Exceeded', 'dailyLimitExceeded')).kind).toBe('quota_exceeded');
  });

  it('tells a missing key, a wrong key, a restricted key and a disabled API apart', () => {
    expect(classifyError(403, GOOGLE_ERRORS.keyMissing)).toEqual({
      kind: 'key_rejected',
      code: 'key_missing',
      message: 'The request is missing a valid API key.',
    });
    expect(classifyError(400, GOOGLE_ERRORS.keyInvalid)).toMatchObject({ kind: 'key_rejected', code: 'key_invalid' });
    expect(classifyError(400, body(400, 'Bad key', 'keyInvalid'))).toMatchObject({ kind: 'key_rejected', code: 'key_invalid' });
    expect(
      classifyError(403, body(403, 'YouTube Data API v3 has not been used in project 1 before or it is disabled.', 'accessNotConfigured')),
    ).toMatchObject({ kind: 'key_rejected', code: 'api_not_enabled' });
    expect(classifyError(403, body(403, 'Requests from this referer are blocked.', 'ipRefererBlocked'))).toMatchObject({
      kind: 'key_rejected',
      code: 'key_restricted',
    });
  });

  it('backs off 5xx and unexplained 4xx, and calls a non-Google body garbage', () => {
    expect(classifyError(503, body(503, 'Backend Error', 'backendError'))).toEqual({
      kind: 'server',
      status: 503,
      message: 'Backend Error',
    });
    expect(classifyError(502, '<html>Bad Gateway</html>')).toEqual({ kind: 'server', status: 502, message: 'HTTP 502' });
    expect(classifyError(400, body(400, 'The page token is not valid.', 'pageTokenInvalid'))).toMatchObject({
      kind: 'server',
      status: 400,
    });
    expect(classifyError(403, '<html>denied by proxy</html>')).toEqual({
      kind: 'garbage',
      reason: 'error_not_json',
      sample: '<html>denied by proxy</html>',
    });
    expect(classifyError(403, '{"nope": true}')).toEqual({ kind: 'garbage', reason: 'error_unexpected', sample: '{"nope": true}' });
    expect(classifyError(403, 'null')).toEqual({ kind: 'garbage', reason: 'error_unexpected', sample: 'null' });
    expect(classifyError(500, '{"nope": true}')).toEqual({ kind: 'server', status: 500, message: 'HTTP 500' });
  });

  it('describes each failure in one line', () => {
    expect(describeFailure({ kind: 'garbage', reason: 'answer_not_json', sample: '<html>' })).toBe('unreadable answer (answer_not_json)');
    expect(describeFailure({ kind: 'server', status: 500, message: 'Backend Error' })).toBe('HTTP 500: Backend Error');
    expect(describeFailure({ kind: 'key_rejected', code: 'key_missing', message: 'The request is missing a valid API key.' })).toBe(
      'API key refused (key_missing): The request is missing a valid API key.',
    );
    expect(describeFailure({ kind: 'chat_ended', message: 'The live chat is no longer live.' })).toBe('The live chat is no longer live.');
  });
});
