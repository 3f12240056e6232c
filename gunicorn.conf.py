"""Settings gunicorn reads from the project's root (`gunicorn 'app:create_app()'`)."""

import gc


def post_worker_init(worker):
    """Leave the loaded application out of the garbage collector's full passes.

    Its objects live as long as the worker; without this, every full pass walks all of
    them again, and a large response triggers several.
    """
    gc.freeze()
