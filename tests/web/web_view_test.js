// Drives Debian's headless Chromium (playwright-core, executablePath /usr/bin/chromium)
// against a real torikumi-server with the seed imported and rated, and checks the web view
// against the HTTP/JSON API of the same server.
//   node web_view_test.js SERVER_BINARY PLUGINS_DIR SOURCE_DIR ARTEFACT_DIR
// Exits non-zero on the first failed check, naming it.
'use strict';
const { chromium } = require('playwright-core');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const [serverBinary, pluginsDir, sourceDir, artefactDir] = process.argv.slice(2);
const PLAN = 'organizations/demo/plans/hr-plan-progress-h30-r4';
const DEVSET = path.join(sourceDir, 'testdata/ratings-devset/plan-h31-r5-gyokaku.tsv');
const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];
// How long the server may take to start, and to rate the demo plan: generous, because the
// same test runs the ASan/UBSan build on a loaded machine; each wait ends as soon as it holds.
const SERVER_WAIT_MS = 90000;

// Starts the server on free ports; resolves with its base URL once it logs the web address.
function startServer(workDir, name, extraArgs = []) {
  const server = spawn(serverBinary, [
    ...extraArgs, '--db', path.join(workDir, `${name}.db`), '--listen', '127.0.0.1:0',
    '--http_listen', '127.0.0.1:0', '--plugins_dir', pluginsDir,
    '--demo_table', path.join(sourceDir, 'testdata/seed/hr-plan-progress-h30-r4.tsv'),
    '--demo_org', 'demo', '--default_rule_set',
    path.join(sourceDir, 'plugins/rules/rulesets/abc-implementation.textproto'),
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  // Resolves with the exit code once the server has stopped (after stop()).
  const exited = new Promise((resolve) => server.on('exit', (code, signal) => resolve({ code, signal })));
  const stop = async () => {
    server.kill('SIGTERM');
    return exited;
  };
  const url = new Promise((resolve, reject) => {
    const take = (chunk) => {
      log += chunk;
      const found = /web view on (http:\/\/[^\s]+)\/web\//.exec(log);
      if (found) resolve(found[1]);
    };
    server.stdout.on('data', take);
    server.stderr.on('data', take);
    server.on('exit', (code) => reject(new Error(`torikumi-server exited (${code}):\n${log}`)));
    setTimeout(() => reject(new Error(`no web address after ${SERVER_WAIT_MS / 1000} s:\n${log}`)),
      SERVER_WAIT_MS).unref();
  });
  return { stop, url, log: () => log };
}

async function getJson(base, pathAndQuery) {
  const response = await fetch(base + pathAndQuery);
  assert.equal(response.status, 200, `GET ${pathAndQuery}: ${await response.clone().text()}`);
  return response.json();
}

// The rating jobs the server started (the demo plan's) have ended and the plan is rated.
async function waitForRatings(base) {
  const deadline = Date.now() + SERVER_WAIT_MS;
  while (Date.now() < deadline) {
    const { jobs = [] } = await getJson(base, '/v1/jobs');
    const { ratings = [] } = await getJson(base, `/v1/${PLAN}/ratings?pageSize=1000`);
    if (jobs.length > 0 && jobs.every((j) => j.state === 'STATE_SUCCEEDED') &&
        ratings.length === 66) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the demo plan was not rated within ${SERVER_WAIT_MS / 1000} s`);
}

// Runs `action` (a click or key press on a link or a form's button) and resolves once the page
// it leads to has loaded. A read right after the action could otherwise see the page before
// it: count(), isVisible() and evaluateAll() do not wait, and a waiting read of an element
// both pages have (#round-state, #round-error, dl.next-entry) finds the old page's. The load
// event is waited for because it fires only for the new document (the old one has loaded),
// also when the form posts to the page's own address.
async function untilLoaded(page, action) {
  await Promise.all([page.waitForEvent('load'), action()]);
}

async function shot(page, name) {
  const file = path.join(artefactDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  console.log(`screenshot: ${file}`);
}

async function checkPlansPage(page, base) {
  await page.goto(`${base}/web/organizations/demo`);
  const row = page.locator(`tr[data-plan="${PLAN}"]`);
  assert.equal(await row.locator('td').nth(3).textContent(), '66', 'initiatives of the plan');
  assert.match(await row.locator('td').nth(4).textContent(), /未評価 2$/, 'grade counts');
  await untilLoaded(page, () => row.locator('a').click());
  assert.equal(page.url(), `${base}/web/${PLAN}`, 'the plan\'s link');
}

async function checkPlanTable(page, base) {
  await page.goto(`${base}/web/${PLAN}`);
  assert.equal(await page.textContent('h1'), '人材育成推進プラン（平成30年度～令和4年度）の取組状況',
    'the published title line');
  assert.equal(await page.locator('tr.initiative').count(), 66, 'rows of the plan table');
  const humanGrades = await page.locator('tr.initiative td.grade.human').allTextContents();
  assert.equal(humanGrades.filter((g) => g.trim() !== '').length, 64, 'human grades shown');
  const marked = page.locator('tr.initiative.disagree');
  assert.equal(await marked.count(), 4, 'rows marked as disagreements');
  assert.equal(await page.locator('tr.initiative.disagree .mark').count(), 4, 'visible marks');
  const api = await getJson(base, `/v1/${PLAN}:compareRatings`);
  const apiNames = api.disagreements.map((d) => d.initiative).sort();
  const pageNames = (await marked.evaluateAll((rows) => rows.map((r) => r.dataset.initiative)))
    .sort();
  assert.deepEqual(pageNames, apiNames, 'the marked rows are the API\'s disagreements');
  await shot(page, 'plan-table');
  return apiNames[0];
}

// Opens the row of `initiative` with the keyboard and finds the API's reason in it.
async function checkOpenedRow(page, base, initiative) {
  const row = page.locator(`tr.initiative[data-initiative="${initiative}"]`);
  const summary = row.locator('xpath=following-sibling::tr[1]').locator('summary');
  await summary.focus();
  await page.keyboard.press('Enter');
  const reason = row.locator('xpath=following-sibling::tr[1]').locator('dd.reason');
  await reason.waitFor({ state: 'visible' });
  const explained = await getJson(base, `/v1/${initiative}:explainRating`);
  assert.ok(explained.computed.reason.length > 0, 'the API gives a reason');
  assert.equal((await reason.textContent()).trim(), explained.computed.reason.trim(),
    'the opened row shows the computed rating\'s reason');
  assert.ok(await row.locator('xpath=following-sibling::tr[1]').locator('table.history tbody tr')
    .count() >= 1, 'the opened row lists the rating history');
  await row.scrollIntoViewIfNeeded();
  await shot(page, 'plan-row-opened');
}

async function checkFilters(page, base) {
  await page.goto(`${base}/web/${PLAN}?area=${encodeURIComponent('組織文化')}`);
  assert.equal(await page.locator('tr.initiative').count(), 26, 'the area filter');
  await page.goto(`${base}/web/${PLAN}?disagree=1`);
  assert.equal(await page.locator('tr.initiative').count(), 4, 'the disagreements filter');
  await page.locator('tr.explain summary').first().click();
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'plan-disagreements');  // the README's picture (docs/web-plan.png)
}

// The area chart's bars against counts of the API's initiatives.
async function checkAreaChart(page, base) {
  await page.goto(`${base}/web/${PLAN}/charts`);
  const segments = await page.locator('#grades-by-area rect.segment').evaluateAll((rects) =>
    rects.map((r) => [r.dataset.category, r.dataset.series, Number(r.dataset.count)]));
  const chart = {};
  for (const [area, grade, count] of segments) {
    chart[area] = chart[area] || {};
    chart[area][grade] = count;
  }
  const { initiatives } = await getJson(base, `/v1/${PLAN}/initiatives?pageSize=1000`);
  const api = {};
  for (const i of initiatives) {
    const grade = (i.humanRating && i.humanRating.grade) || '未評価';
    api[i.area] = api[i.area] || {};
    api[i.area][grade] = (api[i.area][grade] || 0) + 1;
  }
  assert.equal(Object.keys(chart).length, 3, 'three areas in the chart');
  assert.deepEqual(chart, api, 'the chart\'s counts are the API\'s');
  assert.ok((await page.locator('#grades-by-area svg title').first().textContent()).length > 0);
  assert.equal(await page.locator('#grades-by-area table.chart-data tbody tr').count(), 3,
    'the chart\'s data table');
  assert.equal(await page.locator('#confusion rect.cell').count() > 0, true, 'the heat map');
  await shot(page, 'charts');
  // An area's label leads to the table of that area.
  const areaLink = page.locator('#grades-by-area svg a', { hasText: '組織文化' });
  await untilLoaded(page, () => areaLink.click());
  assert.match(page.url(), /\?area=/, 'the area chart\'s link leads to the area\'s table');
  assert.equal(await page.locator('tr.initiative').count(), 26, 'the area chart\'s link');
}

async function checkImport(page, base) {
  await page.goto(`${base}/web/organizations/demo/import`);
  await page.setInputFiles('input[name=file]', DEVSET);
  await page.fill('input[name=plan_id]', 'devset');
  await untilLoaded(page, () => page.click('button[type=submit]'));
  await page.waitForSelector('form.confirm');
  assert.equal(await page.textContent('#initiatives-created'), '36', 'the dry run\'s count');
  const before = await fetch(`${base}/v1/organizations/demo/plans/devset`);
  assert.equal(before.status, 404, 'the dry run stores nothing');
  await shot(page, 'import-dry-run');
  await untilLoaded(page, () => page.click('form.confirm button[type=submit]'));
  await page.waitForSelector('#imported-plan');
  const { plan } = await getJson(base, '/v1/organizations/demo/plans/devset');
  assert.equal(plan.name, 'organizations/demo/plans/devset', 'the import created the plan');
  // count() does not wait: the plan page must have loaded before its rows are counted.
  await untilLoaded(page, () => page.click('#imported-plan'));
  assert.equal(page.url(), `${base}/web/organizations/demo/plans/devset`, 'the imported plan');
  assert.equal(await page.locator('tr.initiative').count(), 36, 'the imported plan\'s rows');
  // The same form posted from another site is refused (cross-site request forgery).
  const form = new FormData();
  form.append('step', 'confirm');
  form.append('plan_id', 'forged');
  form.append('data', fs.readFileSync(DEVSET).toString('base64'));
  const forged = await fetch(`${base}/web/organizations/demo/import`,
    { method: 'POST', body: form, headers: { Origin: 'http://evil.example' } });
  assert.equal(forged.status, 403, 'a cross-site import');
  assert.equal((await fetch(`${base}/v1/organizations/demo/plans/forged`)).status, 404);
}

async function checkXlsxDownload(page, base) {
  await page.goto(`${base}/web/${PLAN}`);
  const [download] = await Promise.all([page.waitForEvent('download'),
    page.click('a.export:text("XLSX")')]);
  const file = path.join(artefactDir, 'plan.xlsx');
  await download.saveAs(file);
  const bytes = fs.readFileSync(file);
  assert.equal(bytes.subarray(0, 4).toString('binary'), 'PK\x03\x04', 'the XLSX is a zip');
  assert.ok(bytes.includes(Buffer.from('xl/workbook.xml')), 'the zip has xl/workbook.xml');
}

// Markup in data is shown as text: nothing it says runs or becomes an element.
async function checkHostileTitle(page, base) {
  const hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>"\'&';
  const created = await fetch(`${base}/v1/${PLAN}/initiatives?initiativeId=hostile`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ area: '職員研修', number: 99, title: hostile, theme: hostile }),
  });
  assert.equal(created.status, 200, await created.text());
  for (const suffix of ['', '?q=' + encodeURIComponent(hostile), '/charts']) {
    await page.goto(`${base}/web/${PLAN}${suffix}`);
    assert.equal(await page.evaluate(() => window.pwned), undefined, `script ran on ${suffix}`);
    assert.equal(await page.locator('main img, main script').count(), 0, 'markup injected');
  }
  await page.goto(`${base}/web/${PLAN}?q=${encodeURIComponent(hostile)}`);
  assert.equal((await page.locator('tr.initiative td.title').textContent()).trim(), hostile);
  assert.equal(await page.inputValue('input[name=q]'), hostile);
}

async function checkPrintLayout(page, base) {
  await page.goto(`${base}/web/${PLAN}`);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('nav.top').isVisible(), false, 'no navigation in print');
  assert.equal(await page.locator('form.filters').isVisible(), false, 'no filters in print');
  await page.emulateMedia({ media: 'screen' });
  // Printed as the page's CSS asks: A4 landscape (842 × 595 points).
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  const file = path.join(artefactDir, 'plan.pdf');
  fs.writeFileSync(file, pdf);
  console.log(`printed: ${file}`);
  const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString('latin1'));
  assert.ok(box, 'the PDF names its page size');
  assert.deepEqual([Math.round(box[1]), Math.round(box[2])], [842, 595], 'A4 landscape');
}

const ROUND = `${PLAN}/ratingRounds/2022`;

async function postJson(base, pathAndQuery, body) {
  const response = await fetch(base + pathAndQuery, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  assert.equal(response.status, 200, `POST ${pathAndQuery}: ${await response.clone().text()}`);
  return response.json();
}

// The round's progress on the page (overall and by area) equals the API's.
async function checkRoundProgress(page, base) {
  const { ratingRound: round } = await getJson(base, `/v1/${ROUND}`);
  const count = (p, field) => (p && p[field]) || 0;  // JSON leaves out zeros
  const shown = async (selector) => Number((await page.textContent(selector)).trim());
  assert.equal(await shown('#round-reviewed'), count(round.progress, 'reviewed'), 'reviewed');
  assert.equal(await shown('#round-total'), count(round.progress, 'total'), 'total');
  assert.equal(await shown('#round-accepted'), count(round.progress, 'accepted'), 'accepted');
  assert.equal(await shown('#round-overridden'), count(round.progress, 'overridden'), 'overridden');
  const areas = await page.locator('table.round-areas tbody tr').evaluateAll((rows) =>
    rows.map((r) => [r.dataset.area, ...['reviewed', 'total', 'accepted', 'overridden']
      .map((c) => Number(r.querySelector(`td.${c}`).textContent))]));
  assert.deepEqual(areas, round.areaProgress.map((p) => [p.area,
    ...['reviewed', 'total', 'accepted', 'overridden'].map((f) => count(p, f))]),
  'the progress by area is the API\'s');
  return round;
}

// The next entry the page offers is the API's :next, with its proposed grade and reason.
async function checkNextEntry(page, base, area = '') {
  const query = area ? `?area=${encodeURIComponent(area)}` : '';
  const { entry } = await getJson(base, `/v1/${ROUND}:next${query}`);
  assert.equal(await page.getAttribute('dl.next-entry', 'data-initiative'), entry.initiative,
    'the next entry is the API\'s');
  assert.equal(await page.textContent('dl.next-entry dd.proposed-grade'),
    entry.proposedGrade || 'データ不足', 'its proposed grade');
  assert.equal(await page.textContent('dl.next-entry dd.proposed-reason'), entry.proposedReason,
    'its proposed reason');
  return entry;
}

async function roundEntry(base, initiative) {
  const { ratingRound: round } = await getJson(base, `/v1/${ROUND}`);
  return round.entries.find((e) => e.initiative === initiative);
}

// Opens FY2022 from the plan page, reviews the next entry: accepts one, is refused an
// override without a reason (the API's message on the page), overrides one with a reason.
async function checkRoundReview(page, base) {
  await page.goto(`${base}/web/${PLAN}`);
  await untilLoaded(page, () => page.click('main a:text("年度末評価")'));
  assert.equal(page.url(), `${base}/web/${PLAN}/ratingRounds`, 'the rounds page');
  await page.selectOption('select[name=fiscal_year]', '2022');
  await untilLoaded(page, () => page.click('form.open-round button[type=submit]'));
  assert.equal(page.url(), `${base}/web/${ROUND}`, 'the opened round\'s page');
  assert.equal(await page.textContent('#round-state'), '受付中');
  assert.equal((await checkRoundProgress(page, base)).progress.total, 64, 'the seed\'s round');
  const first = await checkNextEntry(page, base);
  await shot(page, 'round-next');
  await untilLoaded(page, () => page.click('form.close button[type=submit]'));
  assert.match(await page.textContent('#round-error'), /has 0 of 64 entries reviewed/,
    'closing with entries unreviewed is refused with the API\'s message');
  assert.equal((await getJson(base, `/v1/${ROUND}`)).ratingRound.state, 'STATE_OPEN');
  await untilLoaded(page, () => page.click('form.accept button[type=submit]'));
  assert.equal(await page.textContent('#round-reviewed'), '1', 'the page shows the acceptance');
  const accepted = await roundEntry(base, first.initiative);
  assert.equal(accepted.decision, 'DECISION_ACCEPTED', 'the page accepted the entry');
  assert.equal(accepted.grade, first.proposedGrade, 'the proposed grade became the human grade');
  await checkRoundProgress(page, base);

  const second = await checkNextEntry(page, base);
  assert.notEqual(second.initiative, first.initiative, 'the next entry moved on');
  const other = second.proposedGrade === 'C' ? 'B' : 'C';
  await page.selectOption('form.override select[name=grade]', other);
  await untilLoaded(page, () => page.click('form.override button[type=submit]'));
  const refusal = await page.textContent('#round-error');
  assert.match(refusal, /reason: is required/, 'an override without a reason is refused');
  assert.equal((await roundEntry(base, second.initiative)).decision, undefined,
    'the refused override changed nothing');
  await checkRoundProgress(page, base);
  await shot(page, 'round-refused');
  // A reason far past the 8 KiB an url-encoded form may have: the forms are multipart.
  const reason = '一部の所属で未実施。' + '所属ごとの実施状況は別紙のとおり。'.repeat(200);
  await page.fill('form.override textarea[name=reason]', reason);
  await untilLoaded(page, () => page.click('form.override button[type=submit]'));
  assert.equal(await page.textContent('#round-overridden'), '1', 'the page shows the override');
  const overridden = await roundEntry(base, second.initiative);
  assert.equal(overridden.decision, 'DECISION_OVERRIDDEN', 'the page overrode the entry');
  assert.deepEqual([overridden.grade, overridden.reason], [other, reason]);
  await checkRoundProgress(page, base);
}

// With the keyboard: the next entry of one area, accepted; then a form whose etag another
// reviewer (here the HTTP/JSON API) has made stale is refused with the API's message.
async function checkRoundKeyboardAndStaleEtag(page, base) {
  await page.focus('form.next-area select');
  await page.selectOption('form.next-area select', '組織文化');
  await page.focus('form.next-area button');
  await untilLoaded(page, () => page.keyboard.press('Enter'));
  assert.match(page.url(), /\?area=/, 'the next entry of the area');
  const entry = await checkNextEntry(page, base, '組織文化');
  assert.equal(entry.area, '組織文化');
  await page.focus('form.accept button');
  await untilLoaded(page, () => page.keyboard.press('Enter'));
  assert.equal(await page.textContent('#round-reviewed'), '3', 'the page shows the acceptance');
  assert.equal((await roundEntry(base, entry.initiative)).decision, 'DECISION_ACCEPTED');
  assert.match(page.url(), /\?area=/, 'the page stays on the area');
  const next = await checkNextEntry(page, base, '組織文化');
  await postJson(base, `/v1/${ROUND}:accept`, { initiative: next.initiative });
  await untilLoaded(page, () => page.click('form.accept button[type=submit]'));
  assert.match(await page.textContent('#round-error'), /etag/i, 'a stale etag is refused');
  await checkRoundProgress(page, base);
}

// Every other entry reviewed over HTTP/JSON; the page says so, closes the round, a review
// posted to the closed round shows the API's refusal, and the page reopens it with a reason.
async function checkRoundClose(page, base) {
  for (;;) {
    const { entry } = await getJson(base, `/v1/${ROUND}:next`);
    if (!entry) break;
    if (entry.proposedGrade) {
      await postJson(base, `/v1/${ROUND}:accept`, { initiative: entry.initiative });
    } else {
      await postJson(base, `/v1/${ROUND}:override`,
        { initiative: entry.initiative, grade: 'B', reason: '記載がないため所属に確認した' });
    }
  }
  await page.goto(`${base}/web/${ROUND}`);
  assert.equal(await page.textContent('#next-none'), 'すべての取組を確認しました。');
  const round = await checkRoundProgress(page, base);
  assert.equal(round.progress.reviewed, 64, 'every entry reviewed');
  await shot(page, 'round-reviewed');
  await untilLoaded(page, () => page.click('form.close button[type=submit]'));
  assert.equal(await page.textContent('#round-state'), '締切済み', 'the page closed the round');
  assert.equal((await getJson(base, `/v1/${ROUND}`)).ratingRound.state, 'STATE_CLOSED');
  const posted = await fetch(`${base}/web/${ROUND}`, {
    method: 'POST', body: new URLSearchParams({ action: 'accept', initiative: round.entries[0].initiative }),
  });
  assert.equal(posted.status, 400, 'a review of a closed round');
  assert.match(await posted.text(), /id="round-error">[^<]*read-only/, 'the closed round\'s refusal');
  const forged = await fetch(`${base}/web/${ROUND}`, {
    method: 'POST', headers: { Origin: 'http://evil.example' },
    body: new URLSearchParams({ action: 'reopen', reason: 'forged' }),
  });
  assert.equal(forged.status, 403, 'a round form posted from another site');
  assert.equal((await getJson(base, `/v1/${ROUND}`)).ratingRound.state, 'STATE_CLOSED');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('form.reopen').isVisible(), false, 'no forms in print');
  assert.equal(await page.locator('table.round-entries').isVisible(), true, 'the entries print');
  await page.emulateMedia({ media: 'screen' });
  // Reopening needs a reason too: refused without one, taken with one.
  await untilLoaded(page, () => page.click('form.reopen button[type=submit]'));
  assert.match(await page.textContent('#round-error'), /reason/, 'a reopening without a reason');
  await page.fill('form.reopen textarea[name=reason]', '異議申立てによる再審査');
  await untilLoaded(page, () => page.click('form.reopen button[type=submit]'));
  assert.equal(await page.textContent('#round-state'), '受付中', 'the page reopened the round');
  const { ratingRound: reopened } = await getJson(base, `/v1/${ROUND}`);
  assert.equal(reopened.state, 'STATE_OPEN', 'the page reopened the round');
  assert.equal(reopened.transitions.at(-1).reason, '異議申立てによる再審査');
}

// With --auth=tokens a page needs the caller's token as any API call does: 401 without it,
// the plan with the bootstrap admin's.
async function checkAuthentication(workDir) {
  const tokenFile = path.join(workDir, 'admin-token');
  const { stop, url } = startServer(workDir, 'auth',
    ['--auth=tokens', `--bootstrap_token_file=${tokenFile}`]);
  try {
    const base = await url;
    const refused = await fetch(`${base}/web/${PLAN}`);
    assert.equal(refused.status, 401, 'a page without credentials');
    assert.match(refused.headers.get('content-type'), /^text\/html/);
    const token = fs.readFileSync(tokenFile, 'utf8').trim();
    const allowed = await fetch(`${base}/web/${PLAN}`,
      { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(allowed.status, 200, 'a page with the admin token');
    assert.match(allowed.headers.get('content-security-policy'), /default-src 'none'/,
      'the pages forbid scripts and requests elsewhere');
    const rows = (await allowed.text()).match(/<tr class="initiative/g) || [];
    assert.equal(rows.length, 66, 'the plan behind authentication');
    // The rating round's pages and forms call the API as the same caller.
    const rounds = `${base}/web/${PLAN}/ratingRounds`;
    assert.equal((await fetch(rounds)).status, 401, 'the rounds page without credentials');
    const open = (headers) => fetch(rounds, { method: 'POST', redirect: 'manual', headers,
      body: new URLSearchParams({ fiscal_year: '2022' }) });
    assert.equal((await open({})).status, 401, 'opening a round without credentials');
    const opened = await open({ Authorization: `Bearer ${token}` });
    assert.equal(opened.status, 303, 'the admin opens the round');
    assert.equal(opened.headers.get('location'), `/web/${ROUND}`);
    const round = await fetch(`${base}/web/${ROUND}`,
      { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(round.status, 200, 'the round page with the admin token');
    assert.match(await round.text(), /id="round-total">64</, 'the round behind authentication');
  } finally {
    const { code, signal } = await stop();
    assert.equal(code, 0, `the server with tokens stopped with ${code ?? signal}`);
  }
}

async function main() {
  fs.mkdirSync(artefactDir, { recursive: true });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'torikumi-web-'));
  const { stop, url, log } = startServer(workDir, 'web');
  let context;
  try {
    const base = await url;
    await waitForRatings(base);
    context = await chromium.launchPersistentContext(path.join(workDir, 'profile'), {
      executablePath: '/usr/bin/chromium', headless: true, args: BROWSER_ARGS,
      viewport: { width: 1680, height: 1050 }, acceptDownloads: true,
    });
    const page = await context.newPage();
    await checkPlansPage(page, base);
    const disagreement = await checkPlanTable(page, base);
    await checkOpenedRow(page, base, disagreement);
    await checkFilters(page, base);
    await checkAreaChart(page, base);
    await checkPrintLayout(page, base);
    await checkXlsxDownload(page, base);
    await checkImport(page, base);
    await checkHostileTitle(page, base);
    await checkRoundReview(page, base);
    await checkRoundKeyboardAndStaleEtag(page, base);
    await checkRoundClose(page, base);
    await checkAuthentication(workDir);
    console.log('web view: every check passed');
  } catch (error) {
    console.error(error);
    console.error(`server log (end):\n${log().split('\n').slice(-40).join('\n')}`);
    process.exitCode = 1;
  } finally {
    if (context) await context.close();
    // A clean stop: under the sanitizers a leak or error at shutdown fails the test here.
    const { code, signal } = await stop();
    if (code !== 0) {
      console.error(`torikumi-server stopped with ${code ?? signal}:\n${log().split('\n').slice(-40).join('\n')}`);
      process.exitCode = 1;
    }
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main();
