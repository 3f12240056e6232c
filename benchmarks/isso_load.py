"""Store a discussion in Isso's SQLite database the way Isso's own `POST /new` stores it.

Run by benchmarks/isso_thread.py with the Python of Isso's virtualenv (it imports Isso, not
the site):

    python benchmarks/isso_load.py SETTINGS URI TITLE < comments.json

comments.json lists the comments parents first, each as {"id", "parent_id", "text",
"author", "address", "created"} (the text in Markdown, as a reader typed it). The thread and
each comment go through Isso's storage code, as its view does once a comment is accepted
(published at once, no moderation): the author escaped, the address cut to its /24, and a
reply to a reply attached where Isso puts it. Prints how many comments were stored.
"""

import json
import sys
from html import escape

from isso import config
from isso.db import SQLite3
from isso.utils import anonymize

PUBLISHED = 1  # Isso's mode for an accepted comment


def main() -> None:
    settings, uri, title = sys.argv[1:4]
    conf = config.load(config.default_file(), settings)
    db = SQLite3(conf.get("general", "dbpath"), conf)
    db.threads.new(uri, title)
    stored_ids = {}
    for comment in json.load(sys.stdin):
        stored = db.comments.add(
            uri,
            {
                "parent": stored_ids.get(comment["parent_id"]),
                "created": comment["created"],
                "mode": PUBLISHED,
                "remote_addr": anonymize(comment["address"]),
                "text": comment["text"],
                "author": escape(comment["author"], quote=False),
                "email": None,
                "website": None,
                "notification": 0,
            },
        )
        stored_ids[comment["id"]] = stored["id"]
    print(len(stored_ids))


if __name__ == "__main__":
    main()
