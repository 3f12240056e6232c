"""Settings of the server for live discussion's event streams (`/articles/<slug>/events`).

`gunicorn -c gunicorn_events.conf.py 'app:create_app()'`, beside the app servers; nginx sends
it the streams (deploy/nginx/boundaries.conf). Its workers are gevent's: a stream waiting for
a comment is a greenlet, so one worker holds thousands of open pages and is never busy while
they wait. It serves the whole app and could answer any page, but is meant for the streams.

The app is not preloaded: each worker patches the standard library for gevent before it
imports the app, so that psycopg (which picks a wait function gevent can switch from when it
is imported), redis and threading all yield while they wait.
"""

worker_class = "gevent"
workers = 1
# Open streams (and other requests) one worker holds at once.
worker_connections = 4000
preload_app = False
# Streams end with a restart; browsers reconnect and catch up.
graceful_timeout = 5
# Beside an app server on one machine, the two would share the control socket's path.
control_socket_disable = True
