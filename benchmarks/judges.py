"""Outside judges on every kind of page of a running demo: Lighthouse, axe-core and the Nu checker.

    .venv/bin/python -m benchmarks.judges http://127.0.0.1:5077 [--tools /tmp/judges]
        [--only lighthouse,axe,nu,screenshots] [--pages home,article,...] [--runs 1]
        [--languages en,es]

The site is a fresh demo (`seed-demo`) with one generated article of 1,000 comments
(`generate-load --articles 1 --comments 1000`). The tools are installed apart from the project:
`npm install --prefix /tmp/judges lighthouse@12 axe-core vnu-jar` (and Java for the Nu checker).
Each page is judged in the light and the dark theme (the site follows prefers-color-scheme):
Lighthouse's accessibility and performance scores on its default mobile profile, the
axe-core violations (WCAG 2.2 A/AA and best practices) at 390 and 1,280 px, and the Nu HTML
checker's errors. Each language of `--languages` (English by default) is asked for as a
browser set to it would, with `Accept-Language` (the demo's accounts choose no language of their
own, so their browser's wins). Pages for members, moderators and editors are seen logged in as
the demo's accounts, through the login form (by its fields' names, which no language changes).
Prints one table row per page kind and language and writes the reports under
benchmarks/out/judges/<language>/. `--only screenshots` takes the README's screenshots of the
main pages instead, into docs/screenshots/ (English; other languages into a folder of their own,
docs/screenshots/<language>/, and at 320 px too).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import urllib.parse
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.demo.data import STAFF_ACCOUNTS  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUT_ROOT = ROOT / "benchmarks" / "out" / "judges"
OUT = OUT_ROOT / "en"  # set per language by main()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
WIDTHS = (390, 1280)
THEMES = ("light", "dark")
LANGUAGES = ("en", "es")
# What a browser set to each language sends, and the locale Playwright gives the page.
ACCEPT_LANGUAGE = {"en": "en-US,en;q=0.9", "es": "es-ES,es;q=0.9"}
BROWSER_LOCALE = {"en": "en-US", "es": "es-ES"}
PASSWORDS = {username: password for username, password, *_ in STAFF_ACCOUNTS}
# The pages shown in the README, at phone and desktop widths.
SCREENSHOTS = ("home", "article", "poll insights", "login")


def discover(base: str, editor: requests.Session) -> dict[str, tuple[str, str | None]]:
    """Every page kind: {name: (path, username or None)}, found through the public API."""
    articles = requests.get(f"{base}/api/v1/articles", timeout=30).json()["items"]
    largest = max(articles, key=lambda a: a["comment_count"])
    demo = [a for a in articles if a["comment_count"] < 1000 and a["poll_id"]]
    article = max(demo, key=lambda a: a["comment_count"])
    comments = requests.get(
        f"{base}/api/v1/articles/{article['slug']}/comments", timeout=30
    ).json()["items"]
    deepest = _deepest(comments)
    pages = {
        "home": ("/", None),
        "article": (f"/articles/{article['slug']}", None),
        "article logged in": (f"/articles/{article['slug']}", "demo_member"),
        "permalink": (f"/comments/{deepest}", None),
        "poll insights": (f"/insights/polls/{article['poll_id']}", None),
        "site insights": ("/insights/", None),
        "login": ("/account/login", None),
        "register": ("/account/register", None),
        "settings": ("/account/settings", "demo_member"),
        "inbox": ("/inbox/", "demo_member"),
        "moderation queue": ("/moderation/", "demo_moderator"),
        "editor": ("/editor/", "demo_editor"),
        "article editor": (_first_edit_link(base, editor), "demo_editor"),
    }
    if largest["comment_count"] >= 1000:
        pages["1000 comments"] = (f"/articles/{largest['slug']}", None)
    # An article written in another language than English (the demo has one in Spanish): its
    # texts carry their own lang inside pages in English, as English articles do in Spanish.
    written_apart = [a for a in articles if a.get("language", "en") != "en"]
    if written_apart:
        pages["article in Spanish"] = (f"/articles/{written_apart[0]['slug']}", None)
    return pages


def _deepest(items, depth=0):
    best = (depth, items[0]["id"]) if items else (-1, None)
    for item in items:
        found = _deepest(item["replies"], depth + 1)
        if found[0] > best[0]:
            best = found
    return best if depth else best[1]


def _first_edit_link(base: str, editor: requests.Session) -> str:
    page = editor.get(f"{base}/editor/", timeout=30).text
    return re.search(r'href="(/editor/articles/\d+/edit)"', page).group(1)


def log_in(base: str, username: str) -> requests.Session:
    """A session logged in through the login form, as a person would."""
    session = requests.Session()
    form = session.get(f"{base}/account/login", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    token = token or re.search(r'<meta name="csrf-token" content="([^"]+)"', form)
    answer = session.post(
        f"{base}/account/login",
        data={"csrf_token": token.group(1), "username": username, "password": PASSWORDS[username]},
        timeout=30,
    )
    if "/account/login" in answer.url:
        sys.exit(f"could not log in as {username}")
    return session


def check_translated(base: str, language: str) -> None:
    """Stop when the site answers `language` in English words: its catalogue is not compiled."""
    if language == "en":
        return
    titles = {
        code: re.search(
            r"<title>([^<]*)</title>",
            requests.get(
                f"{base}/account/login",
                headers={"Accept-Language": ACCEPT_LANGUAGE[code]},
                timeout=30,
            ).text,
        ).group(1)
        for code in ("en", language)
    }
    if titles["en"] == titles[language]:
        sys.exit(f"the site answers {language} in English: run `make compile` and restart it")


def cookie_header(session: requests.Session | None) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies) if session else ""


def lighthouse(
    tools: Path, url: str, cookie: str, theme: str, name: str, language: str = "en"
) -> dict:
    flags = "--headless=new --no-sandbox --disable-gpu" + (
        " --force-dark-mode" if theme == "dark" else ""
    )
    report = OUT / f"lighthouse-{name}-{theme}.json"
    command = [
        str(tools / "node_modules" / ".bin" / "lighthouse"),
        url,
        "--only-categories=accessibility,performance",
        "--output=json",
        f"--output-path={report}",
        f"--chrome-flags={flags}",
        f"--locale={BROWSER_LOCALE[language]}",
        "--quiet",
    ]
    headers = {"Accept-Language": ACCEPT_LANGUAGE[language]}
    if cookie:
        headers["Cookie"] = cookie
    command.append("--extra-headers=" + json.dumps(headers))
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    subprocess.run(command, check=True, env=env, timeout=300)
    result = json.loads(report.read_text())
    failed = [
        f"{audit['id']} ({len(audit.get('details', {}).get('items', []))})"
        for ref in result["categories"]["accessibility"]["auditRefs"]
        if (audit := result["audits"][ref["id"]])["score"] == 0 and ref["weight"]
    ]
    return {
        "accessibility": round(result["categories"]["accessibility"]["score"] * 100),
        "performance": round(result["categories"]["performance"]["score"] * 100),
        "failed": failed,
        "lcp": result["audits"]["largest-contentful-paint"]["numericValue"],
        "tbt": result["audits"]["total-blocking-time"]["numericValue"],
    }


def browser_context(browser, language: str, **options):
    """A Playwright context whose browser speaks `language`, as a reader's set to it would."""
    return browser.new_context(
        locale=BROWSER_LOCALE[language],
        extra_http_headers={"Accept-Language": ACCEPT_LANGUAGE[language]},
        **options,
    )


def axe(
    browser, tools: Path, url: str, cookies: list[dict], theme: str, width: int, language: str
) -> list:
    context = browser_context(
        browser,
        language,
        color_scheme=theme,
        viewport={"width": width, "height": 900},
        bypass_csp=True,
    )
    context.add_cookies(cookies)
    page = context.new_page()
    page.goto(url)
    page.add_script_tag(path=str(tools / "node_modules" / "axe-core" / "axe.min.js"))
    violations = page.evaluate(
        "tags => axe.run(document, {runOnly: tags}).then(r => r.violations.map("
        "v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))})))",
        AXE_TAGS,
    )
    context.close()
    return violations


def nu_checker(tools: Path, files: list[Path]) -> dict[str, list[str]]:
    jar = tools / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    done = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    errors = {file.stem: [] for file in files}
    for message in json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"]:
        stem = Path(urllib.parse.urlparse(message.get("url", "")).path).stem
        errors.setdefault(stem, []).append(message["message"])
    return errors


def judge_nu(base, tools, pages, sessions, slug, results, language):
    files = []
    headers = {"Accept-Language": ACCEPT_LANGUAGE[language]}
    for name, (path, user) in pages.items():
        getter = sessions[user] if user else requests
        file = OUT / f"{slug[name]}.html"
        file.write_text(getter.get(base + path, headers=headers, timeout=60).text)
        files.append(file)
    errors = nu_checker(tools, files)
    for name in pages:
        results[name]["nu"] = errors.get(slug[name], [])


def browser_cookies(base, session):
    host = urllib.parse.urlparse(base).hostname
    cookies = session.cookies if session else []
    return [{"name": c.name, "value": c.value, "domain": host, "path": "/"} for c in cookies]


def judge_axe(base, tools, pages, sessions, results, language):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, (path, user) in pages.items():
            cookies = browser_cookies(base, sessions.get(user))
            found = {}
            for theme in THEMES:
                for width in WIDTHS:
                    for violation in axe(
                        browser, tools, base + path, cookies, theme, width, language
                    ):
                        found.setdefault(violation["id"], set()).update(
                            f"{theme} {width}px: {node}" for node in violation["nodes"]
                        )
            results[name]["axe"] = {rule: sorted(nodes) for rule, nodes in found.items()}
        browser.close()


def judge_lighthouse(base, tools, pages, sessions, slug, results, runs, language):
    for name, (path, user) in pages.items():
        cookie = cookie_header(sessions.get(user))
        for theme in THEMES:
            scores = [
                lighthouse(tools, base + path, cookie, theme, slug[name], language)
                for _ in range(runs)
            ]
            results[name][theme] = {
                "accessibility": min(score["accessibility"] for score in scores),
                "performance": statistics.median(score["performance"] for score in scores),
                "failed": sorted({audit for score in scores for audit in score["failed"]}),
                "lcp": statistics.median(score["lcp"] for score in scores),
                "tbt": statistics.median(score["tbt"] for score in scores),
            }


def take_screenshots(base, pages, sessions, folder: Path, language: str = "en"):
    """The main pages above the fold, at 390 and 1,280 px, light and dark; the desktop ones at
    half scale, so the README stays light. Languages other than English go into a folder of
    their own and are taken at 320 px too, where their longer words are likeliest to overflow."""
    from playwright.sync_api import sync_playwright

    if language != "en":
        folder = folder / language
    folder.mkdir(parents=True, exist_ok=True)
    sizes = {390: ({"width": 390, "height": 760}, 1), 1280: ({"width": 1280, "height": 860}, 0.5)}
    if language != "en":
        sizes = {320: ({"width": 320, "height": 760}, 1), **sizes}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name in SCREENSHOTS:
            path, user = pages[name]
            for width, (viewport, scale) in sizes.items():
                for theme in THEMES:
                    context = browser_context(
                        browser,
                        language,
                        viewport=viewport,
                        device_scale_factor=scale,
                        color_scheme=theme,
                    )
                    context.add_cookies(browser_cookies(base, sessions.get(user)))
                    page = context.new_page()
                    page.goto(base + path)
                    file = folder / f"{name.replace(' ', '-')}-{width}-{theme}.png"
                    page.screenshot(path=str(file), animations="disabled")
                    context.close()
                    print(file)
        browser.close()


def print_report(pages, results, language):
    print(f"\nLanguage: {language}\n")
    print(
        "| page | path | Lighthouse accessibility, light / dark | performance (mobile), "
        "light / dark | axe-core violations | Nu errors |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for name, (path, user) in pages.items():
        judged = results[name]
        scores = [judged.get(theme, {}) for theme in THEMES]
        a11y = " / ".join(str(s.get("accessibility", "–")) for s in scores)
        perf = " / ".join(str(s.get("performance", "–")) for s in scores)
        violations = judged.get("axe")
        axe_count = "–" if violations is None else sum(map(len, violations.values()))
        nu = judged.get("nu")
        who = f" ({user})" if user else ""
        print(
            f"| {name}{who} | `{path}` | {a11y} | {perf} | {axe_count} | "
            f"{'–' if nu is None else len(nu)} |"
        )
    for name, judged in results.items():
        for theme in THEMES:
            if judged.get(theme, {}).get("failed"):
                failed = ", ".join(judged[theme]["failed"])
                print(f"{language} {name}, {theme}: Lighthouse failed {failed}")
        for rule, nodes in (judged.get("axe") or {}).items():
            print(
                f"{language} {name}: axe {rule}: {'; '.join(nodes[:6])}"
                + (f" … {len(nodes)} in all" if len(nodes) > 6 else "")
            )
        for message in judged.get("nu") or []:
            print(f"{language} {name}: Nu: {message}")


def main():
    global OUT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("--tools", type=Path, default=Path("/tmp/judges"))
    parser.add_argument(
        "--only",
        default="lighthouse,axe,nu",
        help="judges to run, of lighthouse, axe, nu and screenshots",
    )
    parser.add_argument("--pages", help="page kinds to judge, separated by commas")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (median)")
    parser.add_argument("--screenshots", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--languages",
        "--language",
        default="en",
        help=f"languages to judge the pages in, separated by commas, of {', '.join(LANGUAGES)}",
    )
    args = parser.parse_args()
    base = args.base.rstrip("/")
    judges = set(args.only.split(","))
    languages = args.languages.split(",")
    if unknown := set(languages) - set(LANGUAGES):
        parser.error(f"unknown language {', '.join(sorted(unknown))}; choose of {LANGUAGES}")
    for language in languages:
        check_translated(base, language)

    # One login per account and run: the login form allows ten tries a minute per address.
    sessions = {user: log_in(base, user) for user in PASSWORDS if user != "demo_admin"}
    every_page = discover(base, sessions["demo_editor"])
    pages = every_page
    if args.pages:
        pages = {name: every_page[name] for name in args.pages.split(",")}
    slug = {name: re.sub(r"\W+", "-", name).strip("-") for name in pages}
    for language in languages:
        OUT = OUT_ROOT / language
        OUT.mkdir(parents=True, exist_ok=True)
        if "screenshots" in judges:
            take_screenshots(base, every_page, sessions, args.screenshots, language)
        results = {name: {} for name in pages}
        if "nu" in judges:
            judge_nu(base, args.tools, pages, sessions, slug, results, language)
        if "axe" in judges:
            judge_axe(base, args.tools, pages, sessions, results, language)
        if "lighthouse" in judges:
            judge_lighthouse(base, args.tools, pages, sessions, slug, results, args.runs, language)
        if judges - {"screenshots"}:
            (OUT / "results.json").write_text(json.dumps(results, indent=2))
            print_report(pages, results, language)


if __name__ == "__main__":
    main()
