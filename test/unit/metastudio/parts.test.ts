import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../src/metastudio/answers.js';
import { deriveIamEndpoint } from '../../../src/metastudio/auth/password.js';
import { classify } from '../../../src/metastudio/classify.js';
import { ClockSkewError, MetaStudioApiError, MetaStudioResponseError, MetaStudioTransportError } from '../../../src/metastudio/errors.js';
import { secretMask } from '../../../src/metastudio/mask.js';

const api = (status: number, errorCode?: string, retryAfterMs?: number) =>
  new MetaStudioApiError({
    operation: 'report',
    status,
    ...(errorCode ? { errorCode, errorMsg: 'm' } : {}),
    requestId: 'rid',
    ...(retryAfterMs ? { retryAfterMs } : {}),
  });

describe('classify', () => {
  it.each([
    [api(500), 'retry', 'metastudio_server_error'],
    [api(502), 'retry', 'metastudio_server_error'],
    [api(429, 'APIGW.0308', 2000), 'retry', 'metastudio_throttled'],
    [api(400, 'APIGW.0308'), 'retry', 'metastudio_throttled'],
    [api(408), 'retry', 'metastudio_rejected'],
    [api(401, 'MSS.00000001'), 'reauth', 'metastudio_unauthorized'],
    [api(401, 'APIGW.0301'), 'reauth', 'metastudio_unauthorized'],
    [api(400, 'APIGW.0303'), 'reauth', 'metastudio_unauthorized'],
    [new ClockSkewError({ operation: 'report', status: 401, errorCode: 'APIGW.0303' }, 20 * 60_000), 'reauth', 'metastudio_clock_skew'],
    [api(400, 'MSS.00000003'), 'rejected', 'metastudio_rejected'],
    [api(413), 'rejected', 'metastudio_rejected'],
    [api(400, 'MSS.00010008'), 'reauth', 'metastudio_rejected'],
    [api(404, 'MSS.00000002'), 'retry', 'metastudio_not_found'],
    [api(403), 'reauth', 'metastudio_forbidden'],
    [api(418), 'retry', 'metastudio_rejected'],
    [new MetaStudioTransportError('network', { operation: 'report' }, new Error('ECONNRESET')), 'retry', 'metastudio_network'],
    [new MetaStudioTransportError('timeout', { operation: 'report' }, new Error('t')), 'uncertain', 'metastudio_timeout'],
    [new MetaStudioTransportError('aborted', { operation: 'report' }, new Error('a')), 'uncertain', 'metastudio_aborted'],
    [new MetaStudioResponseError({ operation: 'report', status: 200 }, 'x'), 'retry', 'metastudio_bad_response'],
  ])('%s → %s %s', (err, kind, code) => {
    expect(classify(err)).toMatchObject({ kind, code });
  });

  it('carries Retry-After and the request id', () => {
    expect(classify(api(429, 'APIGW.0308', 2000))).toEqual({
      kind: 'retry',
      code: 'metastudio_throttled',
      retryAfterMs: 2000,
      requestId: 'rid',
      reason: 'report refused: HTTP 429 APIGW.0308: m (request id rid)',
    });
  });

  it('the API refusal and the transport failure are different classes', () => {
    expect(api(500)).not.toBeInstanceOf(MetaStudioTransportError);
    expect(new MetaStudioTransportError('network', { operation: 'report' }, 'x')).not.toBeInstanceOf(MetaStudioApiError);
  });
});

describe('Retry-After', () => {
  const now = Date.UTC(2026, 0, 1, 0, 0, 0);
  it.each([
    ['5', 5000],
    ['0', 0],
    [' 12 ', 12_000],
    ['Thu, 01 Jan 2026 00:00:30 GMT', 30_000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
    ['soon', undefined],
    ['-3', undefined],
    ['1.5', undefined],
    [undefined, undefined],
  ])('%s → %s', (value, ms) => expect(parseRetryAfter(value, now)).toBe(ms));
});

describe('IAM endpoint', () => {
  it('derives iam.<region> from the MetaStudio endpoint', () => {
    expect(deriveIamEndpoint('https://metastudio.cn-north-4.myhuaweicloud.com')).toBe('https://iam.cn-north-4.myhuaweicloud.com');
    expect(deriveIamEndpoint('https://metastudio.cn-east-3.myhuaweicloud.com/')).toBe('https://iam.cn-east-3.myhuaweicloud.com');
  });
  it('asks for iam_endpoint when it cannot', () => {
    expect(() => deriveIamEndpoint('http://127.0.0.1:9470')).toThrow(/set metastudio\.auth\.iam_endpoint/);
  });
});

describe('secret mask', () => {
  it('masks configured values and credential query parameters', () => {
    const mask = secretMask(() => ['SECRET-VALUE', 'x']);
    expect(mask('a SECRET-VALUE b ?auth_key=abc&expires_time=1 x')).toBe('a *** b ?auth_key=***&expires_time=1 x');
  });
});
