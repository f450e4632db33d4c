import { describe, expect, it } from 'vitest';
import {
  eventTypeErrors,
  isPublicAddress,
  isPublicHost,
  normalizeEventTypes,
  signatureHeader,
  subscriptionMatches,
  urlErrors,
  verifySignature,
} from './webhooks.rules.js';

const strict = { allowHttp: false, allowPrivateTargets: false };
const loose = { allowHttp: true, allowPrivateTargets: true };
const codes = (errors: { code: string }[]) => errors.map((e) => e.code);

describe('webhook rules', () => {
  it('tells public addresses from loopback, private, link-local and reserved ones', () => {
    for (const address of ['8.8.8.8', '195.130.131.1', '2a00:1450:400e:80e::200e']) {
      expect(isPublicAddress(address), address).toBe(true);
    }
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      'not an address',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    expect(isPublicHost('hooks.example.org')).toBe(true);
    for (const host of ['localhost', 'api.localhost', 'intranet', '[::1]', '127.0.0.1']) {
      expect(isPublicHost(host), host).toBe(false);
    }
  });

  it('accepts https URLs to public hosts, and http or private targets only when allowed', () => {
    expect(urlErrors('https://hooks.example.org/civicpoints?x=1', strict)).toEqual([]);
    expect(codes(urlErrors('http://hooks.example.org/', strict))).toEqual(['url_scheme']);
    expect(codes(urlErrors('https://127.0.0.1:8443/', strict))).toEqual(['url_not_public']);
    expect(codes(urlErrors('https://169.254.169.254/latest', strict))).toEqual(['url_not_public']);
    expect(codes(urlErrors('https://[::1]/', strict))).toEqual(['url_not_public']);
    expect(codes(urlErrors('https://localhost/', strict))).toEqual(['url_not_public']);
    expect(urlErrors('http://127.0.0.1:9000/hooks', loose)).toEqual([]);
    expect(codes(urlErrors('ftp://example.org/', loose))).toEqual(['url_scheme']);
    expect(codes(urlErrors('javascript:alert(1)', loose))).toEqual(['url_scheme']);
    expect(codes(urlErrors('https://a:b@example.org/', loose))).toEqual(['url_credentials']);
    expect(codes(urlErrors('https://example.org/#x', loose))).toEqual(['url']);
    expect(codes(urlErrors('example.org/hooks', loose))).toEqual(['url']);
    expect(codes(urlErrors('', loose))).toEqual(['url']);
  });

  it('checks event types for municipalities and partners', () => {
    const municipal = { municipalityId: 'mun_1', partnerId: null };
    const partner = { municipalityId: 'mun_1', partnerId: 'ptn_1' };
    expect(eventTypeErrors(['task.published', 'claim.approved'], municipal)).toEqual([]);
    expect(codes(eventTypeErrors(['task.published'], partner))).toEqual([
      'event_type_not_available',
    ]);
    expect(eventTypeErrors(['claim.paid', 'voucher.redeemed'], partner)).toEqual([
      expect.objectContaining({ field: '/eventTypes/0', code: 'unknown_event_type' }),
    ]);
    expect(codes(eventTypeErrors([], municipal))).toEqual(['required']);
    expect(normalizeEventTypes(['task.completed', 'claim.approved', 'claim.approved'])).toEqual([
      'claim.approved',
      'task.completed',
    ]);
  });

  it('matches a municipality subscription to its events, a partner one to its own only', () => {
    const event = { type: 'voucher.redeemed', partnerId: 'ptn_1' };
    expect(subscriptionMatches({ partnerId: null, eventTypes: ['voucher.redeemed'] }, event)).toBe(
      true,
    );
    expect(
      subscriptionMatches({ partnerId: 'ptn_1', eventTypes: ['voucher.redeemed'] }, event),
    ).toBe(true);
    expect(
      subscriptionMatches({ partnerId: 'ptn_2', eventTypes: ['voucher.redeemed'] }, event),
    ).toBe(false);
    expect(subscriptionMatches({ partnerId: null, eventTypes: ['voucher.issued'] }, event)).toBe(
      false,
    );
  });

  it('signs <t>.<body> with each secret and verifies within five minutes only', () => {
    const body = '{"id":"evt_1","data":{"points":5}}';
    const header = signatureHeader(['whsec_new', 'whsec_old'], 1_796_115_600, body);
    expect(header).toMatch(/^t=1796115600,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(verifySignature(header, body, 'whsec_new', 1_796_115_600)).toBe(true);
    expect(verifySignature(header, body, 'whsec_old', 1_796_115_600 + 300)).toBe(true);
    expect(verifySignature(header, body, 'whsec_old', 1_796_115_600 + 301)).toBe(false);
    expect(verifySignature(header, body.replace('5', '6'), 'whsec_new', 1_796_115_600)).toBe(false);
    expect(verifySignature(header, body, 'whsec_other', 1_796_115_600)).toBe(false);
    expect(verifySignature('t=x,v1=zz', body, 'whsec_new', 0)).toBe(false);
    expect(verifySignature('', body, 'whsec_new', 0)).toBe(false);
  });
});
