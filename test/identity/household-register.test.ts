import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderLetters } from '../../src/modules/identity/household-letters.pdf.js';
import { readRegisterFile } from '../../src/modules/identity/household-register.rules.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import { describeEachBackend } from '../support/backends.js';
import { pageCount, pdfPages, pdfText } from '../support/pdf.js';
import { signInResident } from '../support/residents.js';
import { createTestApp, nextAddress, testContext } from '../support/server.js';
import { signInUser } from '../support/users.js';

/**
 * The municipal household register: importing the CSV (all or nothing), the registered-households
 * figure, verification letters as a PDF in each household's language, and residents proving
 * their address with a letter's one-time code.
 */

const CODE = /\b[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}\b/g;

describe('reading a register file', () => {
  it('takes comma or semicolon files, with or without BOM and header, quoted or not', () => {
    const comma = readRegisterFile(
      Buffer.from(
        '\uFEFFreference,address,members,language\nA1,"Kerkstraat 1, 3900 Pelt",2,fr\nA2,Markt 2 3900 Pelt,1,\n',
      ),
    );
    expect(comma).toEqual({
      ok: true,
      rows: [
        { line: 2, reference: 'A1', address: 'Kerkstraat 1, 3900 Pelt', members: 2, locale: 'fr' },
        { line: 3, reference: 'A2', address: 'Markt 2 3900 Pelt', members: 1, locale: null },
      ],
    });
    const semicolon = readRegisterFile('A1;Kerkstraat 1, 3900 Pelt;2;NL\r\nA2;Markt 2;1\r\n');
    expect(semicolon.ok && semicolon.rows.map((r) => [r.address, r.locale])).toEqual([
      ['Kerkstraat 1, 3900 Pelt', 'nl'],
      ['Markt 2', null],
    ]);
    const reordered = readRegisterFile('members;reference;address\n3;X-9;Dorpsstraat 9\n');
    expect(reordered.ok && reordered.rows[0]).toMatchObject({ reference: 'X-9', members: 3 });
  });

  it('lists every malformed row, at most 50, with its row number', () => {
    const rows = Array.from({ length: 80 }, (_, i) => `R${i},Straat ${i} Pelt,many`).join('\n');
    const reading = readRegisterFile(`reference,address,members\n${rows}`);
    expect(reading.ok).toBe(false);
    if (reading.ok) return;
    expect(reading.totalProblems).toBe(80);
    expect(reading.problems).toHaveLength(50);
    expect(reading.problems[0]).toMatchObject({ field: '/rows/2/members', code: 'invalid' });
    expect(readRegisterFile('')).toMatchObject({ ok: false, problems: [{ code: 'empty' }] });
    expect(readRegisterFile(Buffer.from([0x41, 0x2c, 0xe9, 0x2c, 0x31]))).toMatchObject({
      ok: false,
      problems: [{ code: 'not_utf8' }],
    });
  });

  it('renders a letter per page, compressed or not', async () => {
    const letter = {
      locale: 'de' as const,
      municipalityName: 'Pelt',
      reference: 'R1',
      address: 'Hauptstraße 1, 3900 Pelt',
      code: 'ABCDE-FGH12',
      date: new Date('2026-12-01T09:00:00Z'),
    };
    for (const compress of [true, false]) {
      const pdf = await renderLetters([letter, { ...letter, locale: 'fr' }], {
        publicUrl: 'https://civicpoints.example',
        compress,
      });
      expect(pageCount(pdf)).toBe(2);
      const text = pdfText(pdf);
      expect(text).toContain('Hauptstraße 1, 3900 Pelt');
      expect(text).toContain('Liebe Bewohnerin, lieber Bewohner,');
      expect(text).toContain('Chère habitante, cher habitant,');
      expect(text).toContain('https://civicpoints.example');
    }
  });
});

describeEachBackend('household register', (backend) => {
  let app: FastifyInstance;
  let admin: Record<string, string>;
  let lommelAdmin: Record<string, string>;

  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    admin = (
      await signInUser(app, { kind: 'staff', slug: 'pelt', roles: ['admin'] }, 'admin@pelt.be')
    ).headers;
    lommelAdmin = (
      await signInUser(app, { kind: 'staff', slug: 'lommel', roles: ['admin'] }, 'admin@lommel.be')
    ).headers;
  });
  afterAll(() => app.close());

  const upload = (headers: Record<string, string>, slug: string, csv: string | Buffer) =>
    app.inject({
      method: 'POST',
      url: `/api/municipalities/${slug}/household-register`,
      headers: { ...headers, 'content-type': 'text/csv; charset=utf-8' },
      payload: csv,
    });
  const registerOf = async (slug: string, headers = admin, query = '') =>
    (
      await app.inject({
        url: `/api/municipalities/${slug}/household-register${query}`,
        headers,
      })
    ).json();
  const letters = (headers: Record<string, string>, slug: string, body: object = {}) =>
    app.inject({
      method: 'POST',
      url: `/api/municipalities/${slug}/household-register/letters`,
      headers,
      payload: body,
    });
  const figure = async (slug: string) =>
    (await getMunicipality(testContext(app), slug)).registeredHouseholds;
  const snapshot = async () => ({
    register: (
      await app.deps.storage.db.selectFrom('household_register').selectAll().orderBy('id').execute()
    ).map((row) => JSON.stringify(row)),
    figure: await figure('pelt'),
  });
  const verify = (headers: Record<string, string>, code: string, remoteAddress: string) =>
    app.inject({
      method: 'POST',
      url: '/api/me/household/verify',
      headers,
      payload: { code },
      remoteAddress,
    });

  const PELT = [
    'reference;address;members;language',
    'P-001;Kerkstraat 1, 3900 Pelt;2;fr',
    'P-002;Markt 2, 3900 Pelt;1;de',
    'P-003;Dorpsstraat 3, 3900 Pelt;4;en',
    'P-004;Heuvelweg 4, 3900 Pelt;3;',
  ].join('\r\n');

  it('imports the register, sets the figure and records counts only in the audit log', async () => {
    const response = await upload(admin, 'pelt', `\uFEFF${PELT}\r\n`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      households: 4,
      added: 4,
      updated: 0,
      unchanged: 0,
      removed: 0,
      keptVerified: 0,
    });
    expect(await figure('pelt')).toBe(4);
    const page = await registerOf('pelt');
    expect(page.summary).toEqual({
      households: 4,
      verified: 0,
      lettersWaiting: 0,
      noLongerInRegister: 0,
      lastImportAt: '2026-12-01T09:00:00.000Z',
    });
    expect(page.total).toBe(4);
    expect(page.items[0]).toMatchObject({
      reference: 'P-001',
      address: 'Kerkstraat 1, 3900 Pelt',
      members: 2,
      locale: 'fr',
      status: 'no_letter',
    });
    expect((await registerOf('pelt', admin, '?limit=2&offset=2')).items.length).toBe(2);

    const audit = await app.deps.storage.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'household_register.imported')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).not.toContain('Kerkstraat');
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({ households: 4, added: 4 });

    // Another municipality's staff cannot see it; Lommel's own register is empty.
    const elsewhere = await app.inject({
      url: '/api/municipalities/pelt/household-register',
      headers: lommelAdmin,
    });
    expect(elsewhere.statusCode).toBe(404);
    expect((await registerOf('lommel', lommelAdmin)).summary.households).toBe(0);
  });

  it('refuses a file with any malformed row, listing the rows, and changes nothing', async () => {
    const before = await snapshot();
    const bad: [string, string, string[]][] = [
      [
        'missing fields',
        'reference,address,members\nN-1,Kerkstraat 1 Pelt,2\nN-2,,3\n,Markt 3 Pelt,1\nN-4,Markt 4 Pelt,\n',
        ['/rows/3/address', '/rows/4/reference', '/rows/5/members'],
      ],
      [
        'bad members',
        'N-1,Kerkstraat 1 Pelt,two\nN-2,Kerkstraat 2 Pelt,0\nN-3,Kerkstraat 3 Pelt,2.5\nN-4,Kerkstraat 4 Pelt,100\n',
        ['/rows/1/members', '/rows/2/members', '/rows/3/members', '/rows/4/members'],
      ],
      [
        'duplicate reference',
        'N-1;Kerkstraat 1 Pelt;2\nN-2;Kerkstraat 2 Pelt;2\nN-1;Kerkstraat 3 Pelt;1\n',
        ['/rows/3/reference'],
      ],
      [
        'bad language',
        'N-1,Kerkstraat 1 Pelt,2,es\nN-2,Kerkstraat 2 Pelt,2,NL\n',
        ['/rows/1/language'],
      ],
      [
        'wrong delimiter',
        'N-1\tKerkstraat 1 Pelt\t2\nN-2\tKerkstraat 2 Pelt\t2\n',
        [
          '/rows/1/reference',
          '/rows/1/address',
          '/rows/1/members',
          '/rows/2/reference',
          '/rows/2/address',
          '/rows/2/members',
        ],
      ],
      ['unclosed quote', 'N-1,"Kerkstraat 1 Pelt,2\nN-2,Kerkstraat 2 Pelt,2\n', ['/rows/1']],
      ['too many columns', 'N-1,Kerkstraat 1, Pelt,2,nl\n', ['/rows/1/row']],
      [
        'unknown header',
        'reference,street,members\nN-1,Kerkstraat 1 Pelt,2\n',
        ['/rows/1/address', '/rows/1'],
      ],
      ['only a header', 'reference;address;members;language\n', ['/file']],
    ];
    for (const [name, csv, fields] of bad) {
      const response = await upload(admin, 'pelt', csv);
      expect(response.statusCode, `${name}: ${response.body}`).toBe(400);
      const body = response.json();
      expect(body.code, name).toBe('register_invalid');
      expect(
        body.errors.map((e: { field: string }) => e.field),
        name,
      ).toEqual(fields);
      for (const error of body.errors) expect(error.message, name).toMatch(/\S/);
    }
    const latin1 = await upload(admin, 'pelt', Buffer.from('N-1,Stra\xdfe 1 Pelt,2\n', 'latin1'));
    expect([latin1.statusCode, latin1.json().code]).toEqual([400, 'register_invalid']);
    const json = await app.inject({
      method: 'POST',
      url: '/api/municipalities/pelt/household-register',
      headers: admin,
      payload: { rows: [] },
    });
    expect([json.statusCode, json.json().code]).toEqual([415, 'unsupported_media_type']);
    const reviewer = (
      await signInUser(app, { kind: 'staff', slug: 'pelt', roles: ['reviewer'] }, 'rev@pelt.be')
    ).headers;
    expect((await upload(reviewer, 'pelt', PELT)).statusCode).toBe(403);
    expect((await upload({}, 'pelt', PELT)).statusCode).toBe(401);
    expect((await upload(lommelAdmin, 'pelt', PELT)).statusCode).toBe(404);
    const huge = await upload(admin, 'pelt', `${'x'.repeat(10 * 1024 * 1024 + 1)}`);
    expect([huge.statusCode, huge.json().code]).toEqual([413, 'body_too_large']);
    expect(await snapshot()).toEqual(before);
  });

  let peltCodes: Map<string, string>;

  it('prints a letter per household in its language, with a code that replaces the last', async () => {
    const response = await letters(admin, 'pelt');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="household-letters-pelt-2026-12-01.pdf"',
    );
    expect(response.headers['x-letter-count']).toBe('4');
    const pdf = response.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pageCount(pdf)).toBe(4);
    const pages = pdfPages(pdf);
    expect(pages).toHaveLength(4);
    // By reference: P-001 fr, P-002 de, P-003 en, P-004 the municipality's default (nl).
    const greetings = [
      'Chère habitante, cher habitant,',
      'Liebe Bewohnerin, lieber Bewohner,',
      'Dear resident,',
      'Beste bewoner,',
    ];
    peltCodes = new Map();
    pages.forEach((page, index) => {
      expect(page).toContain(greetings[index]);
      expect(page).toContain(app.deps.config.publicUrl);
      const codes = page.match(CODE) ?? [];
      expect(codes).toHaveLength(1);
      peltCodes.set(`P-00${index + 1}`, codes[0]!);
    });
    expect(pages[0]).toContain('Kerkstraat 1, 3900 Pelt');

    // Codes are stored hashed, never as printed.
    const stored = await app.deps.storage.db
      .selectFrom('household_register')
      .select('code_hash')
      .execute();
    for (const code of peltCodes.values()) {
      expect(JSON.stringify(stored)).not.toContain(code);
    }
    const page = await registerOf('pelt');
    expect(page.summary.lettersWaiting).toBe(4);
    expect(page.items.every((e: { status: string }) => e.status === 'letter_printed')).toBe(true);

    // Everyone has a letter now: nothing new to print, unless asked for again.
    const none = await letters(admin, 'pelt');
    expect([none.statusCode, none.json().code]).toEqual([409, 'no_letters_to_print']);
    const unknown = await letters(admin, 'pelt', { references: ['P-001', 'NOPE'] });
    expect([unknown.statusCode, unknown.json().errors]).toEqual([
      400,
      [expect.objectContaining({ code: 'unknown_reference' })],
    ]);

    const again = await letters(admin, 'pelt', { references: ['P-004'] });
    expect(again.headers['x-letter-count']).toBe('1');
    const newCode = pdfText(again.rawPayload).match(CODE)![0];
    expect(newCode).not.toBe(peltCodes.get('P-004'));
    const resident = await signInResident(app, 'pelt', 'old.letter@pelt.be');
    const old = await verify(resident.headers, peltCodes.get('P-004')!, nextAddress());
    expect([old.statusCode, old.json().code]).toEqual([404, 'verification_code_invalid']);
    peltCodes.set('P-004', newCode);

    const audit = await app.deps.storage.db
      .selectFrom('audit_events')
      .select('after')
      .where('action', '=', 'household_register.letters_printed')
      .execute();
    expect(audit.map((a) => JSON.parse(a.after!).letters)).toEqual([4, 1]);
    for (const code of [...peltCodes.values(), newCode]) {
      expect(JSON.stringify(audit)).not.toContain(code);
    }
  });

  it('verifies a household once with the code, creating or linking it', async () => {
    // Without a household: one is made at the register's address.
    const ann = await signInResident(app, 'pelt', 'ann@pelt.be');
    const code = peltCodes.get('P-001')!;
    const typed = code.toLowerCase().replace('-', ' ');
    const verified = await verify(ann.headers, typed, nextAddress());
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({
      address: 'Kerkstraat 1, 3900 Pelt',
      members: 1,
      verified: true,
      verifiedAt: '2026-12-01T09:00:00.000Z',
    });
    const mine = (await app.inject({ url: '/api/me/household', headers: ann.headers })).json();
    expect(mine.household).toMatchObject({ verified: true, address: 'Kerkstraat 1, 3900 Pelt' });

    // The same code again, by anyone: used.
    const bert = await signInResident(app, 'pelt', 'bert@pelt.be');
    const reused = await verify(bert.headers, code, nextAddress());
    expect([reused.statusCode, reused.json().code]).toEqual([409, 'verification_code_used']);
    const twice = await verify(ann.headers, code, nextAddress());
    expect(twice.statusCode).toBe(409);

    // With a household: it is linked and takes the register's address.
    const created = await app.inject({
      method: 'POST',
      url: '/api/me/household',
      headers: bert.headers,
      payload: { address: 'Markt 2 Pelt' },
    });
    expect(created.json().verified).toBe(false);
    const linked = await verify(bert.headers, peltCodes.get('P-002')!, nextAddress());
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json()).toMatchObject({
      id: created.json().id,
      address: 'Markt 2, 3900 Pelt',
      verified: true,
    });
    // One household proves one address.
    const another = await verify(bert.headers, peltCodes.get('P-003')!, nextAddress());
    expect([another.statusCode, another.json().code]).toEqual([409, 'household_already_verified']);

    // A second household cannot claim an entry that is verified.
    const carla = await signInResident(app, 'pelt', 'carla@pelt.be');
    const claim = await verify(carla.headers, peltCodes.get('P-002')!, nextAddress());
    expect([claim.statusCode, claim.json().code]).toEqual([409, 'verification_code_used']);

    const summary = (await registerOf('pelt')).summary;
    expect(summary).toMatchObject({ households: 4, verified: 2, lettersWaiting: 2 });
    const none = await letters(admin, 'pelt', { references: ['P-001'] });
    expect(none.json().errors[0].code).toBe('already_verified');
  });

  it("refuses another municipality's code and wrong codes, with an increasing delay", async () => {
    const dirk = await signInResident(app, 'lommel', 'dirk@lommel.be');
    const from = nextAddress();
    const foreign = await verify(dirk.headers, peltCodes.get('P-003')!, from);
    expect([foreign.statusCode, foreign.json().code]).toEqual([404, 'verification_code_invalid']);
    expect(foreign.body).not.toContain('Dorpsstraat');
    for (let i = 0; i < 4; i++) {
      const wrong = await verify(dirk.headers, i % 2 ? 'ABCDE-ABCDE' : 'not a code', from);
      expect([wrong.statusCode, wrong.json().code]).toEqual([404, 'verification_code_invalid']);
    }
    // Five failures from this address: now even a right code waits.
    const held = await verify(dirk.headers, peltCodes.get('P-003')!, from);
    expect([held.statusCode, held.json().code]).toEqual([429, 'too_many_failures']);
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    // Pelt's household P-003 is still waiting for its own resident.
    const eva = await signInResident(app, 'pelt', 'eva@pelt.be');
    expect((await verify(eva.headers, peltCodes.get('P-003')!, nextAddress())).statusCode).toBe(
      200,
    );
  });

  it('re-imports: updates by reference, removes the rest, keeps verified ones marked', async () => {
    const csv = [
      'reference,address,members,language',
      // P-001 verified, moved: the household follows. P-002 verified, dropped: kept, marked.
      'P-001,Kerkstraat 11 3900 Pelt,3,fr',
      'P-003,Dorpsstraat 3, 3900 Pelt,4,en',
      // P-004 moved before its letter was used: the letter no longer proves anything.
      'P-004,Nieuwstraat 4 3900 Pelt,3,',
      'P-005,Bosweg 5 3900 Pelt,1,nl',
    ]
      .map((line) => line.replace('Dorpsstraat 3, 3900 Pelt', '"Dorpsstraat 3, 3900 Pelt"'))
      .join('\n');
    const response = await upload(admin, 'pelt', csv);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      households: 4,
      added: 1,
      updated: 2,
      unchanged: 1,
      removed: 0,
      keptVerified: 1,
    });
    expect(await figure('pelt')).toBe(4);
    const page = await registerOf('pelt');
    expect(page.summary).toMatchObject({ households: 4, verified: 2, noLongerInRegister: 1 });
    const byRef = Object.fromEntries(
      page.items.map((e: { reference: string; status: string }) => [e.reference, e.status]),
    );
    expect(byRef).toEqual({
      'P-001': 'verified',
      'P-002': 'not_in_register',
      'P-003': 'verified',
      'P-004': 'no_letter',
      'P-005': 'no_letter',
    });
    const gone = await registerOf('pelt', admin, '?status=not_in_register');
    expect(gone.items.map((e: { reference: string }) => e.reference)).toEqual(['P-002']);
    const ann = await app.deps.storage.db
      .selectFrom('households')
      .select(['address', 'verified_at'])
      .where('address', 'like', 'Kerkstraat%')
      .execute();
    expect(ann).toEqual([{ address: 'Kerkstraat 11 3900 Pelt', verified_at: expect.any(String) }]);

    // A smaller register replaces the bigger one: unverified entries not in it are gone.
    const small = await upload(admin, 'pelt', 'P-001;Kerkstraat 11 3900 Pelt;3;fr\n');
    expect(small.json()).toMatchObject({ households: 1, removed: 2, keptVerified: 2 });
    expect(await figure('pelt')).toBe(1);
    const { rows } = await sql<{ n: number }>`select count(*) as n from household_register`.execute(
      app.deps.storage.db,
    );
    expect(Number(rows[0]!.n)).toBe(3);
  });
});
