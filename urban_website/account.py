"""The pages the account e-mails link to, for customers of every channel
(app, web shop) and pro buyers: confirming the e-mail address and choosing
a new password. Tryton's web_user writes the links with
`[web] email_validation_url` and `reset_password_url`; unless they are
configured, they point here, on the site's address.

GET shows a button (mail scanners follow links; only a person's POST
changes anything); the domain's web.user methods do the work (token check,
password policy, counted failed attempts)."""
from trytond.exceptions import RateLimitException, UserError
from trytond.pool import PoolMeta
from trytond.config import config
from trytond.transaction import Transaction

from . import forms, i18n, settings
from .render import page
from .routes import localized

VERIFY_PATH = '/account/verify-email'
RESET_PATH = '/account/reset-password'


def _language(user):
    lang = user.party.lang.code[:2] if user.party and user.party.lang else ''
    return lang if lang in i18n.LANGUAGES else i18n.DEFAULT


class WebUser(metaclass=PoolMeta):
    __name__ = 'web.user'

    def get_email_validation_url(self, url=None):
        if url is None and not config.get('web', 'email_validation_url'):
            url = settings.absolute(i18n.url(_language(self), VERIFY_PATH))
        return super().get_email_validation_url(url=url)

    def get_email_reset_password_url(self, url=None):
        if url is None and not config.get('web', 'reset_password_url'):
            url = settings.absolute(i18n.url(_language(self), RESET_PATH))
        return super().get_email_reset_password_url(url=url)


def account_page(request, lang, path, status=200, **values):
    return page(request, 'account.html', lang,
        {l: path for l in i18n.LANGUAGES}, status=status, cache=False,
        noindex=True, **values)


@localized(VERIFY_PATH, methods=('GET', 'POST'))
def verify_email(request, pool, lang):
    WebUser = pool.get('web.user')
    token = request.values.get('token', '')[:128]
    if request.method == 'GET' and token:
        return account_page(request, lang, VERIFY_PATH, view='verify',
            token=token)
    if token and WebUser.validate_email_token([token]):
        return account_page(request, lang, VERIFY_PATH, view='verified')
    return account_page(request, lang, VERIFY_PATH, view='invalid',
        status=400)


@localized(RESET_PATH, methods=('GET', 'POST'))
def reset_password(request, pool, lang):
    WebUser = pool.get('web.user')
    Session = pool.get('web.user.session')
    token = request.values.get('token', '')[:128]
    email = request.values.get('email', '')[:254].strip().lower()
    if not token or not email:
        return account_page(request, lang, RESET_PATH, view='invalid',
            status=400)
    if request.method == 'GET':
        return account_page(request, lang, RESET_PATH, view='reset',
            token=token, email=forms.printable(email))
    password = request.form.get('password', '')
    if password != request.form.get('confirm', ''):
        return account_page(request, lang, RESET_PATH, view='reset',
            token=token, email=forms.printable(email), status=422,
            error=i18n.gettext(lang, "The two passwords differ."))
    from urban_catalog import password as policy
    try:
        # the policy without the name: the answer must not tell whether
        # the account exists
        policy.check_password(password, email=email)
        # wrong tokens count as failed logins of the account (urban_stock's
        # limits): past them, refused at once
        changed = WebUser.set_password_token(email, token, password)
    except RateLimitException as error:
        Transaction().rollback()
        return forms.too_many(account_page(request, lang, RESET_PATH,
                view='reset', token=token, email=forms.printable(email),
                error=i18n.gettext(lang, "Too many attempts. Please wait "
                    "a few minutes.")),
            int(getattr(error, 'retry_after', None) or 60))
    except UserError as error:
        Transaction().rollback()
        return account_page(request, lang, RESET_PATH, view='reset',
            token=token, email=forms.printable(email), status=422,
            error=error.message)
    if not changed:
        # the failed attempt is committed (it counts against the account)
        return account_page(request, lang, RESET_PATH, view='invalid',
            status=400)
    users = WebUser.search([('email', '=', email)], limit=1)
    # every session of the account ends: whoever knew the old password
    Session.delete(Session.search([('user', 'in', [u.id for u in users])]))
    return account_page(request, lang, RESET_PATH, view='changed')
