"""Open a session on a running site and print what a scanner needs to act inside it.

    python3 security/session.py http://127.0.0.1:5077 [USERNAME PASSWORD]

prints two lines: the Cookie header's value, then the CSRF token of that session (for the
`X-CSRFToken` header). With a username, it logs in through the login form first, as a person
would. Standard library only, so any Python runs it.
"""

import argparse
import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request

TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def open_session(base: str, username: str | None, password: str | None):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/account/login").read().decode()
    token = TOKEN.search(page).group(1)
    if username:
        form = urllib.parse.urlencode(
            {"csrf_token": token, "username": username, "password": password}
        ).encode()
        landed = opener.open(f"{base}/account/login", data=form)
        page = landed.read().decode()
        if "/account/login" in landed.url:
            sys.exit(f"Could not log in as {username}: the login form came back.")
        token = TOKEN.search(page).group(1)
    return jar, token


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("username", nargs="?")
    parser.add_argument("password", nargs="?")
    args = parser.parse_args()
    jar, token = open_session(args.base.rstrip("/"), args.username, args.password)
    print("; ".join(f"{c.name}={c.value}" for c in jar))
    print(token)


if __name__ == "__main__":
    main()
