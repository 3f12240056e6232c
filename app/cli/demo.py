"""Commands: `seed-demo`, filling the site with demo articles, members, votes and discussions."""

import click
from flask.cli import with_appcontext

from app.transaction import in_transaction


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Add the demo site (idempotent) and print the demo accounts to log in with.

    The report is printed once the seeding is committed, so a reader of the output that
    stops early (`| head`) cannot undo it.
    """
    report = _seed()
    created, kept = len(report.articles_created), len(report.articles_kept)
    click.echo(
        f"Demo articles: {created} created, {kept} already there. "
        f"Members created: {report.members_created}. "
        f"Votes cast: {report.votes_cast}. Comments posted: {report.comments_posted}. "
        f"Helpful marks: {report.helpful_marks}."
    )
    click.echo("")
    click.echo("Demo accounts (log in at /account/login):")
    width = max(len(account.username) for account in report.accounts)
    pw_width = max(len(account.password) for account in report.accounts)
    click.echo(f"  {'username':<{width}}  {'password':<{pw_width}}  staff level")
    for account in report.accounts:
        click.echo(
            f"  {account.username:<{width}}  {account.password:<{pw_width}}  {account.staff_level}"
        )


@in_transaction
def _seed():
    from app.demo.discussions import DemoDataError
    from app.demo.seed import seed_demo

    try:
        return seed_demo()
    except DemoDataError as error:
        raise click.ClickException(f"The demo data is broken: {error}") from error


def register(app):
    app.cli.add_command(seed_demo_command)
