"""Flask's hello world: the yardstick the site's pages are measured against."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
