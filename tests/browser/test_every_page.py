"""Every page of the demo in headless Chromium, as a program manager, a team member and a
stakeholder would open it (issue 11: "every page of the demo renders without console
errors").

One test loads the demo once (about ten seconds) and then visits, at tablet size
(1024×768):

- as pm.alvarez: every program tab of HDT, the pages those tabs link to inside the
  program (one level deep: charts, comparisons, agendas, forms…), the first detail page
  of each register (a risk, an issue, a deliverable, a benefit, a change request and its
  impact, a gate review, a stakeholder, a feedback item, a lesson, a component, a job if
  any) and the cross-program pages (programs, lessons, notifications, the portal, the
  resource pool);
- as tm.lindqvist and sh.ferreira: every tab they have.

For each page it checks what a user would notice: an HTTP status below 400, no console
error, no uncaught page error, no Content-Security-Policy violation, an <h1>, a label on
every form control, no horizontal scrolling of the page at tablet width (> 4 px), text
contrast of WCAG 2.1 AA (4.5:1, 3:1 for large text) against the background the text sits
on, a visible focus indicator on the first Tab stop and the program tab bar reachable
within the first 30 Tabs. Failures are collected over every page and reported together;
a screenshot of each page is kept in test-artifacts/pages/.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import NoReverseMatch, reverse

from tests.browser.conftest import ARTIFACTS, sign_in
from tests.browser.test_charts import CSP_LISTENER

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PROGRAM = "HDT"
TABLET = {"width": 1024, "height": 768}
OVERFLOW_TOLERANCE = 4  # px
PAGES_DIR = ARTIFACTS / "pages"

# Cross-program pages the program manager opens.
CROSS_PROGRAM = ["/programs/", "/lessons/", "/notifications/", "/programs/portal/feedback/",
                 "/programs/pool/resources/", "/my-work/", "/my-work/week/", "/account/tokens/",
                 "/account/password/", "/account/two-factor/"]  # fmt: skip

# (list page inside the program, the detail link to follow: first match on that page)
P = f"/programs/{PROGRAM}"
DETAILS: list[tuple[str, str]] = [
    (f"{P}/risks/", rf"^{P}/risks/\d+/$"),
    (f"{P}/issues/", rf"^{P}/issues/\d+/$"),
    (f"{P}/deliverables/", rf"^{P}/deliverables/\d+/$"),
    (f"{P}/benefits/", rf"^{P}/benefits/\d+/$"),
    (f"{P}/changes/", rf"^{P}/changes/\d+/$"),
    (f"{P}/governance/", rf"^{P}/governance/reviews/\d+/$"),
    (f"{P}/governance/decisions/", rf"^{P}/governance/decisions/\d+/$"),
    (f"{P}/stakeholders/", rf"^{P}/stakeholders/\d+/$"),
    (f"{P}/feedback/", rf"^{P}/feedback/\d+/$"),
    (f"{P}/feedback-actions/", rf"^{P}/feedback-actions/\d+/$"),
    ("/lessons/", r"^/programs/[^/]+/lessons/\d+/$"),
    (f"{P}/lessons/", rf"^{P}/lessons/sessions/\d+/$"),
    (f"{P}/components/", rf"^{P}/components/\d+/$"),
    (f"{P}/forecast/", rf"^{P}/forecast/\d+/$"),
    (f"{P}/resources/", rf"^{P}/resources/leveling/\d+/$"),
    (f"{P}/budget/changes/", rf"^{P}/budget/changes/\d+/$"),
    (f"{P}/meetings/", rf"^{P}/meetings/\d+/$"),
    (f"{P}/updates/", rf"^{P}/updates/\d+/$"),
    (f"{P}/updates/", rf"^{P}/updates/component/\d+/$"),
    (f"{P}/timesheets/", rf"^{P}/timesheets/\d+/$"),
    (f"{P}/activity/", rf"^{P}/discussions/[a-z]+/\d+/(#[\w-]+)?$"),
]
# Follow-ups of a detail page: (detail pattern, what to add to its path)
FOLLOW_UPS = [(rf"^{P}/changes/\d+/$", "impact/")]
# Links that are downloads or actions, not pages
NOT_PAGES = re.compile(r"(\.\w{2,4}$|/export|/file$|/logout|/download|/result|/ical|\.ics)")

# Findings in pages this module's author does not own, known when it was written: the
# test reports them as an expected failure (xfail) naming each one, and fails on any new
# one. Keys: (user, path with ids replaced by <n>); values: the findings' text.
KNOWN_LABEL_GAPS: dict[tuple[str, str], set[str]] = {}
KNOWN_OVERFLOW: set[tuple[str, str]] = set()

# WCAG 2.1 AA, success criterion 1.4.3; "large" is 18 pt (24 px) or 14 pt (18.66 px) bold.
CONTRAST_NORMAL = 4.5
CONTRAST_LARGE = 3.0
MAX_TABS = 30

COLLECT = """() => {
  const controls = document.querySelectorAll(
    'input:not([type=hidden]):not([type=submit]), select, textarea');
  const unlabelled = [];
  for (const el of controls) {
    if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) continue;
    if (el.labels && el.labels.length) continue;  // <label for=…> or a wrapping <label>
    const form = el.closest('form');
    const where = form ? (form.getAttribute('action') || 'this page') : 'no form';
    unlabelled.push(`${el.tagName.toLowerCase()}[name=${el.name || '?'}] in form ${where}`);
  }
  const doc = document.documentElement;
  const width = Math.max(document.body.scrollWidth, doc.scrollWidth);
  return {
    h1: document.querySelectorAll('h1').length,
    unlabelled: unlabelled,
    overflow: width - window.innerWidth,
    csp: window.__cspViolations || [],
  };
}"""


# Every visible element with a text node of its own: the contrast ratio of its colour
# against the first opaque background found walking up (semi-transparent ones composited,
# white at the root). Text in <canvas>/<svg>, over a background image, in disabled controls
# and in screen-reader-only boxes (1 px clip) is skipped.
CONTRAST = """([normal, large]) => {
  const parse = (c) => {
    const m = /^rgba?\\(([\\d.]+)[ ,]+([\\d.]+)[ ,]+([\\d.]+)(?:[ ,/]+([\\d.]+%?))?\\)$/.exec(c);
    if (!m) return null;
    let a = m[4] === undefined ? 1 : parseFloat(m[4]);
    if (m[4] && m[4].endsWith('%')) a = a / 100;
    return [parseFloat(m[1]), parseFloat(m[2]), parseFloat(m[3]), a];
  };
  const over = (top, under) => [0, 1, 2].map(
    (i) => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v = v / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const hex = (c) => '#' + c.slice(0, 3).map(
    (v) => Math.round(v).toString(16).padStart(2, '0')).join('');
  const background = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage && style.backgroundImage !== 'none') return null;
      const c = parse(style.backgroundColor);
      if (c === null) return null;
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const describe = (el) => {
    const one = (e) => e.tagName.toLowerCase() + Array.from(e.classList).slice(0, 2)
      .map((c) => '.' + c).join('');
    return el.parentElement ? one(el.parentElement) + ' > ' + one(el) : one(el);
  };
  let checked = 0;
  const failures = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = Array.from(el.childNodes).filter(
      (n) => n.nodeType === 3 && n.textContent.trim()).map((n) => n.textContent.trim());
    if (!own.length) continue;
    if (el.closest('svg, canvas, script, style, noscript, template')) continue;
    if (el.matches(':disabled') || el.closest('fieldset:disabled')) continue;
    const style = getComputedStyle(el);
    if (style.visibility !== 'visible' || parseFloat(style.opacity) === 0) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1 || !el.getClientRects().length) continue;
    const bg = background(el);
    const fg0 = parse(style.color);
    if (bg === null || fg0 === null) continue;
    checked++;
    const fg = over(fg0, bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize);
    const bold = parseInt(style.fontWeight, 10) >= 700;
    const needed = size >= 24 || (size >= 18.66 && bold) ? large : normal;
    if (ratio + 1e-6 < needed) {
      const text = own.join(' ').replace(/\\s+/g, ' ').slice(0, 30);
      failures.push(`${describe(el)} (${text}): ${ratio.toFixed(2)} ${hex(fg)}/${hex(bg)}`);
    }
  }
  return {checked: checked, failures: failures};
}"""

# What has the keyboard focus now: where it is, whether it can be seen, how it is drawn.
FOCUSED = """(tag) => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  if (tag) el.setAttribute('data-first-tab-stop', '');
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const visible = style.visibility === 'visible' && parseFloat(style.opacity) > 0
    && rect.width > 1 && rect.height > 1 && rect.bottom > 0 && rect.right > 0
    && rect.top < window.innerHeight && rect.left < window.innerWidth;
  const text = (el.getAttribute('aria-label') || el.textContent || el.name || '')
    .replace(/\\s+/g, ' ').trim().slice(0, 30);
  return {
    what: `${el.tagName.toLowerCase()} (${text})`,
    visible: visible,
    inNav: !!el.closest('nav[aria-label=Program]'),
    ring: [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow],
  };
}"""

# The same element, once the focus has left it.
UNFOCUSED = """() => {
  if (document.activeElement) document.activeElement.blur();
  const el = document.querySelector('[data-first-tab-stop]');
  if (!el) return null;
  el.removeAttribute('data-first-tab-stop');
  const style = getComputedStyle(el);
  return [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow];
}"""


def _has_ring(ring: list[str]) -> bool:
    outline_style, outline_width, _, shadow = ring
    drawn = outline_style != "none" and not outline_width.startswith("0")
    return drawn or shadow != "none"


@dataclass
class Findings:
    hard: list[str] = field(default_factory=list)  # statuses, errors, CSP, missing <h1>
    labels: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    overflow: dict[tuple[str, str], int] = field(default_factory=dict)
    contrast: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    keyboard: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)
    texts_checked: int = 0
    first_stops: set[str] = field(default_factory=set)  # what the first Tab reaches, drawn how
    tabs_to_nav: list[int] = field(default_factory=list)


def _generic(path: str) -> str:
    return re.sub(r"/\d+/", "/<n>/", path)


def _slug(user: str, path: str) -> str:
    return f"{user}-" + (re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "root")


class Visitor:
    """Visits pages in one signed-in browser context and records what is wrong."""

    def __init__(self, page: Any, user: str, findings: Findings) -> None:
        self.page = page
        self.user = user
        self.findings = findings
        self.errors: list[str] = []
        page.set_viewport_size(TABLET)
        page.add_init_script(CSP_LISTENER)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on(
            "console",
            lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None,
        )
        self.links: dict[str, list[str]] = {}

    def visit(self, path: str) -> list[str]:
        """Open ``path`` (once); returns the same-origin link paths on the page."""
        if path in self.links:
            return self.links[path]
        self.links[path] = []
        f, where = self.findings, f"{self.user} {path}"
        self.errors.clear()
        f.visited.append(where)
        try:
            response = self.page.goto(path, wait_until="load")
        except Exception as exc:
            f.hard.append(f"{where}: did not load ({exc})")
            return []
        # charts draw after load; a page that keeps polling never goes idle
        with contextlib.suppress(Exception):
            self.page.wait_for_load_state("networkidle", timeout=5_000)
        if response is None or response.status >= 400:
            f.hard.append(f"{where}: HTTP {response.status if response else 'no response'}")
        found = self.page.evaluate(COLLECT)
        f.hard.extend(f"{where}: {e}" for e in self.errors)
        f.hard.extend(f"{where}: CSP violation {v}" for v in found["csp"])
        if not found["h1"]:
            f.hard.append(f"{where}: no <h1>")
        key = (self.user, _generic(path))
        if found["unlabelled"]:
            f.labels[key] = {_generic(text) for text in found["unlabelled"]}
        if found["overflow"] > OVERFLOW_TOLERANCE:
            f.overflow[key] = int(found["overflow"])
        PAGES_DIR.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(PAGES_DIR / f"{_slug(self.user, path)}.png"), full_page=True)
        hrefs: list[str] = self.page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
        origin = urlsplit(self.page.url)
        paths = []
        for href in hrefs:
            parts = urlsplit(href)
            if parts.netloc == origin.netloc and not parts.query and not parts.fragment:
                paths.append(parts.path)
        self.links[path] = paths
        contrast = self.page.evaluate(CONTRAST, [CONTRAST_NORMAL, CONTRAST_LARGE])
        f.texts_checked += contrast["checked"]
        if contrast["failures"]:
            f.contrast[key] = set(contrast["failures"])
        f.keyboard.extend(f"{where}: {problem}" for problem in self.keyboard())
        return paths

    def keyboard(self) -> list[str]:
        """Tab from the top of the page: the first stop shows a focus ring that it does not
        show unfocused, and the program tab bar (if any) is reached within MAX_TABS."""
        page = self.page
        page.evaluate("() => { if (document.activeElement) document.activeElement.blur(); }")
        has_nav = page.evaluate("() => !!document.querySelector('nav[aria-label=Program]')")
        problems: list[str] = []
        page.keyboard.press("Tab")
        first = page.evaluate(FOCUSED, True)
        if first is None:
            return ["Tab from the top focuses nothing"]
        if not first["visible"]:
            problems.append(f"first Tab stop {first['what']} cannot be seen")
        reached = first["inNav"]
        presses = 1
        while has_nav and not reached and presses < MAX_TABS:
            page.keyboard.press("Tab")
            presses += 1
            now = page.evaluate(FOCUSED, False)
            reached = bool(now and now["inNav"])
        unfocused = page.evaluate(UNFOCUSED)
        self.findings.first_stops.add(f"{first['what']}: {first['ring']} / {unfocused}")
        if has_nav and reached:
            self.findings.tabs_to_nav.append(presses)
        if not _has_ring(first["ring"]) or first["ring"] == unfocused:
            problems.append(
                f"first Tab stop {first['what']} shows no focus indicator "
                f"(focused {first['ring']}, unfocused {unfocused})"
            )
        if has_nav and not reached:
            problems.append(f"program tab bar not reached within {MAX_TABS} Tabs")
        return problems


def _tab_paths(username: str) -> list[str]:
    from podium.accounts.models import User
    from podium.core.navigation import tabs_for
    from podium.programs.models import Program

    user = User.objects.get(username=username)
    program = Program.objects.get(code=PROGRAM)
    paths = []
    for tab in tabs_for(user, program):
        try:
            paths.append(reverse(tab.url_name, kwargs={"code": PROGRAM}))
        except NoReverseMatch:
            paths.append(reverse(tab.url_name))
    return paths


def _program_manager(visitor: Visitor) -> None:
    tabs = _tab_paths("pm.alvarez")
    linked: list[str] = []
    for path in tabs:
        for link in visitor.visit(path):
            # pages inside the program one level below a tab (no ids: details come next)
            if (
                link.startswith(f"{P}/")
                and not re.search(r"/\d+/", link)
                and not NOT_PAGES.search(link)
                and link not in linked
            ):
                linked.append(link)
    for path in linked:
        visitor.visit(path)
    for list_path, pattern in DETAILS:
        links = visitor.visit(list_path)
        first = next((link for link in links if re.match(pattern, link)), None)
        if first is None:
            continue  # the demo has none of these (reported in the test's output)
        visitor.visit(first)
        for detail, suffix in FOLLOW_UPS:
            if re.match(detail, first):
                visitor.visit(first + suffix)
    for path in CROSS_PROGRAM:
        for link in visitor.visit(path):
            if re.match(r"^/jobs/\d+/$", link):
                visitor.visit(link)
                break


def test_every_page_of_the_demo(chromium: Any, live_server: Any) -> None:
    from podium.demo import DEMO_PASSWORD, load_demo

    assert load_demo() is True
    PAGES_DIR.mkdir(parents=True, exist_ok=True)
    for old in PAGES_DIR.glob("*.png"):  # screenshots of an earlier run
        old.unlink()
    findings = Findings()
    for username in ("pm.alvarez", "tm.lindqvist", "sh.ferreira"):
        context = chromium.new_context(base_url=live_server.url, viewport=TABLET)
        try:
            page = context.new_page()
            sign_in(page, username, DEMO_PASSWORD)
            visitor = Visitor(page, username, findings)
            if username == "pm.alvarez":
                _program_manager(visitor)
            else:
                for path in [*_tab_paths(username), "/my-work/"]:
                    visitor.visit(path)
        finally:
            context.close()
    print(f"\n{len(findings.visited)} pages visited:\n  " + "\n  ".join(findings.visited))
    print(f"{findings.texts_checked} text elements checked for contrast")
    print("first Tab stops (focused / unfocused):\n  " + "\n  ".join(sorted(findings.first_stops)))
    if findings.tabs_to_nav:
        fewest, most = min(findings.tabs_to_nav), max(findings.tabs_to_nav)
        print(f"Tabs to the program tab bar: {fewest}-{most} on {len(findings.tabs_to_nav)} pages")
    distinct: dict[str, int] = {}
    for failures in findings.contrast.values():
        for failure in failures:
            what = re.sub(r" \(.*\):", ":", failure)  # without the text sample
            distinct[what] = distinct.get(what, 0) + 1
    if distinct:
        print(
            "contrast failures (pages):\n  "
            + "\n  ".join(
                f"{n:3d}  {what}" for what, n in sorted(distinct.items(), key=lambda kv: -kv[1])
            )
        )

    assert not findings.hard, "\n".join(findings.hard)
    assert not findings.keyboard, "\n".join(findings.keyboard)
    contrast = [
        f"{user} {path}: contrast below WCAG AA: " + "; ".join(sorted(failures))
        for (user, path), failures in sorted(findings.contrast.items())
    ]
    assert not contrast, "\n".join(contrast)

    new_labels = {
        k: v - KNOWN_LABEL_GAPS.get(k, set())
        for k, v in findings.labels.items()
        if v - KNOWN_LABEL_GAPS.get(k, set())
    }
    new_overflow = {k: v for k, v in findings.overflow.items() if k not in KNOWN_OVERFLOW}
    report = []
    for (user, path), controls in sorted(new_labels.items()):
        report.append(f"{user} {path}: no label on " + "; ".join(sorted(controls)))
    for (user, path), px in sorted(new_overflow.items()):
        report.append(f"{user} {path}: scrolls sideways by {px} px at 1024x768")
    assert not report, "\n".join(report)
    known = sorted(set(findings.labels) | set(findings.overflow))
    if known:
        pytest.xfail(
            "known label/overflow findings in pages owned elsewhere: "
            + ", ".join(f"{u} {p}" for u, p in known)
        )
