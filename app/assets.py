"""Our stylesheets and scripts, bundled and named by their content so they can be cached for good.

Every page loads one stylesheet (`site.css`: static/css/*.css joined in the order below) and
one script (`site.js`: static/js/*.js, each its own function that acts only on the elements it
finds). Each bundle and every other static file is published as `dist/<name>.<hash>.<ext>`,
the hash taken from its content: a browser or proxy may keep it for a year without asking
again, and a deployment that changes a file changes its name. Templates reach every static
file through `asset_url(name)`.

The app serves these names from memory, compressed once per worker; `flask --app app
build-assets` writes them under static/dist/ (with .gz and .br beside them) for a proxy that
serves static files itself.
"""

import hashlib
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path

import click
from flask import abort, current_app, request, url_for
from flask.cli import with_appcontext
from werkzeug.security import safe_join

from app import encodings

# Order matters where rules of equal weight meet: the site's base first, as pages always had it.
BUNDLES = {
    "site.css": (
        "css/site.css",
        "css/articles.css",
        "css/polls.css",
        "css/insights.css",
        "css/comments.css",
        "css/accounts.css",
        "css/notifications.css",
        "css/moderation.css",
    ),
    "site.js": (
        "js/site.js",
        "js/accounts.js",
        "js/comments.js",
        "js/live.js",
        "js/helpful.js",
        "js/moderation.js",
        "js/polls.js",
    ),
}
DIST = "dist"
HASH_LENGTH = 10
IMMUTABLE = "public, max-age=31536000, immutable"
# The highest levels: a file is compressed once per worker, or once for the proxy.
LEVELS = {"br": 11, "gzip": 9}


@dataclass
class Asset:
    path: str  # under the static folder: dist/site.3f9a1c2b7d.css
    content: bytes
    digest: str
    mimetype: str
    encoded: dict[str, bytes] = field(default_factory=dict)

    def encoded_as(self, encoding: str) -> bytes:
        """The content compressed as `encoding`, once, at the highest level: it is kept."""
        if encoding not in self.encoded:
            self.encoded[encoding] = encodings.compress(self.content, encoding, LEVELS[encoding])
        return self.encoded[encoding]


def _hashed_path(name: str, content: bytes) -> tuple[str, str]:
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    stem, dot, extension = name.rpartition(".")
    return f"{DIST}/{stem}.{digest}{dot}{extension}" if dot else f"{DIST}/{name}.{digest}", digest


def _bundle_content(static: Path, parts: tuple[str, ...]) -> bytes:
    separator = b"\n;\n" if parts[0].endswith(".js") else b"\n"
    return separator.join((static / part).read_bytes().rstrip() for part in parts) + b"\n"


def build(static: Path) -> dict[str, Asset]:
    """Every published file by the name templates ask for: the bundles, then the rest."""
    sources: dict[str, bytes] = {
        name: _bundle_content(static, parts) for name, parts in BUNDLES.items()
    }
    bundled = {part for parts in BUNDLES.values() for part in parts}
    for path in sorted(static.rglob("*")):
        name = path.relative_to(static).as_posix()
        if path.is_file() and name not in bundled and not name.startswith(f"{DIST}/"):
            sources[name] = path.read_bytes()
    assets = {}
    for name, content in sources.items():
        hashed, digest = _hashed_path(name, content)
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        assets[name] = Asset(hashed, content, digest, mimetype)
    return assets


def asset_url(name: str) -> str:
    """The address of a static file under its hashed name; an unknown name is an error."""
    assets = current_app.extensions["assets"]
    if name not in assets:
        raise LookupError(f"no static file or bundle named {name!r}")
    return url_for("static", filename=assets[name].path)


def serve_static(filename: str):
    """Hashed names from memory, cacheable for a year; any other file as it is, uncached."""
    asset = current_app.extensions["assets_by_path"].get(filename)
    if asset is None:
        return _source_file(filename)
    encoding = encodings.accepted()
    body = asset.encoded_as(encoding) if encoding else asset.content
    response = current_app.response_class(body, mimetype=asset.mimetype)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = IMMUTABLE
    response.set_etag(f"{asset.digest}-{encoding or 'identity'}")
    return response.make_conditional(request)


def _source_file(filename: str):
    """A file under its own name (development, or a page older than the bundles), uncached.

    Read whole rather than streamed: the files are small, and a streamed file that
    Flask-Compress compresses is never closed.
    """
    path = safe_join(current_app.static_folder, filename)
    if filename.startswith(f"{DIST}/") or path is None or not Path(path).is_file():
        abort(404)  # a hashed name from an older deployment, or no such file
    mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = current_app.response_class(Path(path).read_bytes(), mimetype=mimetype)
    response.headers["Cache-Control"] = "no-cache"
    return response


def write(assets: dict[str, Asset], static: Path) -> list[Path]:
    """Write every hashed file with its .gz and .br, for a proxy's gzip_static/brotli_static."""
    written = []
    for asset in assets.values():
        target = static / asset.path
        target.parent.mkdir(parents=True, exist_ok=True)
        for path, data in (
            (target, asset.content),
            (target.with_name(target.name + ".gz"), asset.encoded_as("gzip")),
            (target.with_name(target.name + ".br"), asset.encoded_as("br")),
        ):
            temporary = path.with_name(path.name + ".tmp")
            temporary.write_bytes(data)
            temporary.replace(path)  # atomic: a proxy never serves half a file
            written.append(path)
    return written


@click.command("build-assets")
@with_appcontext
def build_assets_command():
    """Write the bundles and hashed static files to static/dist/ for the proxy to serve."""
    static = Path(current_app.static_folder)
    for path in write(current_app.extensions["assets"], static):
        click.echo(path.relative_to(static).as_posix())


def register(app) -> None:
    assets = build(Path(app.static_folder))
    app.extensions["assets"] = assets
    app.extensions["assets_by_path"] = {asset.path: asset for asset in assets.values()}
    app.view_functions["static"] = serve_static
    app.add_template_global(asset_url, "asset_url")
    app.cli.add_command(build_assets_command)
