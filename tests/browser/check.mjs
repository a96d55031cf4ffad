// Drives the HTML pages in a real headless Chromium, the way a person would: it signs in
// through the sign-in form, opens each page of a plan, checks what the page must and
// must not show, runs axe-core's WCAG 2 A/AA and best-practice rules, and saves a
// full-page screenshot of every page.
//
//   node tests/browser/check.mjs BASE_URL [PLAN.json | -]
//
// The plan is read from the named file, or from standard input when it is "-" or
// missing. It looks like this:
//
//   {
//     "login": { "path": "/app/login", "mustSee": ["#email"] },   (optional; the sign-in page)
//     "locale": "es-PE", "timezone": "America/Lima",               (optional; the browser's)
//     "roles": [{
//       "name": "donor",
//       "email": "prm@cmnp.example",          (no e-mail: the visits run signed out)
//       "password": "…",
//       "signIn": { "expectStatus": 200, "expectPath": "/app", "mustSee": [] },
//       "visits": [
//         { "path": "/", "expectFirstStatus": 303, "expectStatus": 200, "expectPath": "/app" },
//         { "name": "project-tumbes", "path": "/app/projects/…", "expectStatus": 200,
//           "mustSee": ["#indicators svg", "text:Tumbes"], "mustNotSee": ["#my-items"] },
//         { "click": "#sign-out", "expectPath": "/app/login" }
//       ]
//     }]
//   }
//
// An entry of mustSee or mustNotSee is a CSS selector, or, after "text:", a text that
// must (not) occur in the page. Both are looked up in the whole document, hidden parts
// included, because a hidden element still hands its content to whoever reads the
// source. A visit either opens a path or clicks an element of the page the previous step
// left open (for forms such as signing out). Its optional name labels it in the report
// and names its screenshot, so that a new run replaces the old pictures.
//
// Every step records the HTTP status of each hop, the final path, the page's language,
// what the first press of Tab focuses, script errors, sub-resources that failed, and
// axe's violations; its screenshot goes to $CMNP_SCREENSHOTS (target/browser-screenshots
// by default, relative to the working directory), and so does a copy of the report,
// report.json. The browser is $CHROMIUM, or /usr/bin/chromium.
//
// One JSON object goes to standard output; progress goes to standard error. Unmet
// expectations and accessibility findings are data for the caller to judge: the exit
// status is non-zero only when the check itself could not run (no browser, no server, a
// malformed plan).

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = require.resolve('axe-core/axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'best-practice'];
// Enough of a failing element to find it in the page's source.
const SNIPPET_CHARS = 400;
// The failing elements reported per rule; the count always covers all of them.
const NODES_PER_RULE = 10;
const TIMEOUT_MS = 20_000;

function log(message) {
  process.stderr.write(`browser-check: ${message}\n`);
}

async function readPlan(argument) {
  const text =
    argument === undefined || argument === '-'
      ? await readStdin()
      : await readFile(argument, 'utf8');
  const plan = JSON.parse(text);
  if (!Array.isArray(plan.roles)) {
    throw new Error('the plan has no "roles" array');
  }
  return plan;
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// Every hop of a navigation with its status: redirects first, the final answer last.
async function hops(response) {
  const chain = [];
  for (let request = response.request(); request; request = request.redirectedFrom()) {
    const url = new URL(request.url());
    const answer = await request.response();
    chain.unshift({
      method: request.method(),
      path: url.pathname + url.search,
      status: answer ? answer.status() : null,
    });
  }
  return chain;
}

// The entries of mustSee (`wanted` true) or mustNotSee (false) that the page gets wrong.
async function lookFor(page, entries, wanted) {
  const failures = [];
  for (const entry of entries ?? []) {
    const found = await page.evaluate((entry) => {
      if (entry.startsWith('text:')) {
        return (document.documentElement.textContent ?? '').includes(entry.slice(5));
      }
      return document.querySelector(entry) !== null;
    }, entry);
    if (found !== wanted) {
      failures.push(`${wanted ? 'missing' : 'present but must not be'}: ${entry}`);
    }
  }
  return failures;
}

async function runAxe(page) {
  await page.addScriptTag({ path: AXE_SOURCE });
  return page.evaluate(
    async ({ tags, perRule, snippetChars }) => {
      const results = await window.axe.run(document, { runOnly: tags });
      return results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        helpUrl: violation.helpUrl,
        nodes: violation.nodes.length,
        targets: violation.nodes.slice(0, perRule).map((node) => ({
          target: node.target.join(' '),
          html: node.html.slice(0, snippetChars),
          summary: node.failureSummary,
        })),
      }));
    },
    { tags: AXE_TAGS, perRule: NODES_PER_RULE, snippetChars: SNIPPET_CHARS },
  );
}

// What the first press of Tab focuses: a skip link should come first.
async function firstFocus(page) {
  await page.evaluate(() => {
    if (document.activeElement instanceof HTMLElement) {
      document.activeElement.blur();
    }
    window.scrollTo(0, 0);
  });
  await page.keyboard.press('Tab');
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) {
      return null;
    }
    return {
      tag: element.tagName.toLowerCase(),
      href: element.getAttribute('href'),
      text: (element.textContent ?? '').trim().slice(0, 80),
    };
  });
}

// A file name from the role and the step's label, the same on every run.
function screenshotName(role, label) {
  const slug = label.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'root';
  return `${role}-${slug.slice(0, 100)}.png`;
}

// Checks the page a navigation ended on against `step`'s expectations.
async function inspect(page, response, step, shots, label, role) {
  const result = { failures: [] };
  if (!response) {
    result.failures.push('no response from the server');
    return result;
  }
  const finalUrl = new URL(page.url());
  result.status = response.status();
  result.finalPath = finalUrl.pathname + finalUrl.search;
  result.hops = await hops(response);
  if (step.expectStatus !== undefined && result.status !== step.expectStatus) {
    result.failures.push(`status ${result.status}, expected ${step.expectStatus}`);
  }
  if (step.expectFirstStatus !== undefined && result.hops[0].status !== step.expectFirstStatus) {
    result.failures.push(
      `first answered ${result.hops[0].status}, expected ${step.expectFirstStatus}`,
    );
  }
  if (step.expectPath !== undefined && finalUrl.pathname !== step.expectPath) {
    result.failures.push(`ended on ${finalUrl.pathname}, expected ${step.expectPath}`);
  }
  result.lang = await page.evaluate(() => document.documentElement.getAttribute('lang'));
  result.title = await page.title();
  result.failures.push(...(await lookFor(page, step.mustSee, true)));
  result.failures.push(...(await lookFor(page, step.mustNotSee, false)));
  result.screenshot = path.join(shots, screenshotName(role, label));
  await page.screenshot({ path: result.screenshot, fullPage: true });
  result.firstFocus = await firstFocus(page);
  result.axe = await runAxe(page);
  return result;
}

// Runs `action`, which starts a navigation of the main frame, and returns its response.
async function navigation(page, action) {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load', timeout: TIMEOUT_MS }),
    action(),
  ]);
  return response;
}

// A fresh browser context, which holds no session, and a page in it. Script errors and
// sub-resources that fail to load are gathered into `page.problems`, which each step
// empties and keeps, so that they are reported with the page that caused them.
async function openPage(browser, base, plan) {
  const context = await browser.newContext({
    baseURL: base,
    // The browser's language decides the pages' language until the reader picks one;
    // the commission's readers browse in Peruvian Spanish.
    locale: plan.locale ?? 'es-PE',
    timezoneId: plan.timezone ?? 'America/Lima',
    // The pages may forbid inline scripts; axe is injected as one.
    bypassCSP: true,
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  const problems = { pageErrors: new Set(), failedRequests: new Set() };
  page.on('pageerror', (error) => problems.pageErrors.add(`${page.url()}: ${error.message}`));
  page.on('response', (response) => {
    const request = response.request();
    if (!request.isNavigationRequest() && response.status() >= 400) {
      problems.failedRequests.add(`${response.status()} ${request.method()} ${request.url()}`);
    }
  });
  page.on('requestfailed', async (request) => {
    // A sub-resource answered with an error status is reported above; Chromium then
    // also aborts some of them, which says nothing new.
    if (!(await request.response())) {
      problems.failedRequests.add(
        `${request.failure()?.errorText} ${request.method()} ${request.url()}`,
      );
    }
  });
  return { context, page, problems };
}

// Runs one step: `action` starts a navigation, whose end is inspected.
async function step({ page, problems }, shots, name, label, expectations, action) {
  log(`${name}: ${label}`);
  problems.pageErrors.clear();
  problems.failedRequests.clear();
  const record = { label, ...expectations };
  try {
    const response = await navigation(page, action);
    Object.assign(record, await inspect(page, response, expectations, shots, label, name));
  } catch (error) {
    record.failures = [`could not complete the step: ${error.message.split('\n')[0]}`];
  }
  record.pageErrors = [...problems.pageErrors];
  record.failedRequests = [...problems.failedRequests];
  return record;
}

// The sign-in page as anyone sees it before signing in.
async function checkLogin(browser, base, plan, shots) {
  const opened = await openPage(browser, base, plan);
  const expectations = {
    path: loginPath(plan),
    expectStatus: 200,
    mustSee: ['#email', '#password', '#sign-in', 'input[name="csrf"]'],
    ...plan.login,
  };
  const record = await step(opened, shots, 'anonymous', expectations.path, expectations, () =>
    opened.page.goto(expectations.path, { timeout: TIMEOUT_MS }),
  );
  await opened.context.close();
  return record;
}

async function runRole(browser, base, plan, role, shots) {
  const opened = await openPage(browser, base, plan);
  const { context, page } = opened;
  const outcome = { name: role.name, email: role.email ?? null, visits: [] };
  let count = 0;
  const run = (label, expectations, action) => {
    count += 1;
    return step(opened, shots, role.name, `${String(count).padStart(2, '0')} ${label}`, expectations, action);
  };

  if (role.email) {
    const expectations = role.signIn ?? { expectStatus: 200, expectPath: '/app' };
    const label = `sign in as ${role.email}`;
    let before = [];
    try {
      await page.goto(loginPath(plan), { timeout: TIMEOUT_MS });
      before = await context.cookies();
      outcome.signIn = await run(label, expectations, async () => {
        await page.fill('#email', role.email);
        await page.fill('#password', role.password ?? '');
        await page.click('#sign-in', { noWaitAfter: true });
      });
    } catch (error) {
      outcome.signIn = {
        label,
        ...expectations,
        failures: [`could not open the sign-in page: ${error.message.split('\n')[0]}`],
      };
    }
    // The cookies after signing in, those the sign-in set or changed marked `set`, to show
    // that the session is out of scripts' reach.
    const known = new Map(before.map((cookie) => [cookie.name, cookie.value]));
    outcome.cookies = (await context.cookies()).map((cookie) => ({
      name: cookie.name,
      set: known.get(cookie.name) !== cookie.value,
      httpOnly: cookie.httpOnly,
      secure: cookie.secure,
      sameSite: cookie.sameSite,
    }));
    // A failed sign-in leaves nothing to visit: every page would answer with the form.
    if (outcome.signIn.failures.length > 0 && (role.visits ?? []).length > 0) {
      outcome.skipped = 'the sign-in did not go as expected, so the visits did not run';
    }
  }

  if (!outcome.skipped) {
    for (const visit of role.visits ?? []) {
      outcome.visits.push(
        visit.click
          ? await run(`click ${visit.click}`, visit, () =>
              page.click(visit.click, { noWaitAfter: true }),
            )
          : await run(visit.name ?? visit.path, visit, () =>
              page.goto(visit.path, { timeout: TIMEOUT_MS }),
            ),
      );
    }
  }
  await context.close();
  return outcome;
}

function loginPath(plan) {
  return plan.login?.path ?? '/app/login';
}

async function main() {
  const [base, planArgument] = process.argv.slice(2);
  if (!base) {
    throw new Error('usage: node check.mjs BASE_URL [PLAN.json | -]');
  }
  const plan = await readPlan(planArgument);
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  const shots = path.resolve(process.env.CMNP_SCREENSHOTS || 'target/browser-screenshots');
  await mkdir(shots, { recursive: true });

  // A server that does not answer is the caller's mistake, not a finding about a page.
  const probe = await fetch(new URL(loginPath(plan), base), { redirect: 'manual' });
  log(`server answers ${probe.status} at ${base}`);

  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox'],
  });
  try {
    const result = {
      base,
      browser: `${executablePath} ${browser.version()}`,
      axe: require('axe-core/package.json').version,
      axeTags: AXE_TAGS,
      screenshots: shots,
      login: await checkLogin(browser, base, plan, shots),
      roles: [],
    };
    for (const role of plan.roles) {
      result.roles.push(await runRole(browser, base, plan, role, shots));
    }
    const json = `${JSON.stringify(result, null, 2)}\n`;
    // A copy beside the screenshots, to read the findings after the run.
    await writeFile(path.join(shots, 'report.json'), json);
    process.stdout.write(json);
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  log(`harness error: ${error.stack ?? error}`);
  process.exit(2);
});
