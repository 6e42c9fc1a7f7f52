"""Driving the back office (sao, Tryton's web client) in Chromium as a
person does: its login dialogs, menu entries, lists, forms and buttons;
any page error, error dialog or lasting "Processing" fails."""
import re
import time

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction

# how long a list, form or button may take (sao shows "Processing" at 3 s)
PATIENCE = 5
# what sao shows when something went wrong (Sao.common.ErrorDialog,
# WarningDialog and UserWarningDialog)
ERROR_DIALOGS = ('.modal.error-dialog:visible, .modal.warning-dialog:visible,'
    ' .modal.user-warning-dialog:visible')


class SaoFailure(AssertionError):
    pass


# how long a login's dialogs may take: the first request of a database
# loads its pool, which takes more than 15 s on a busy CI machine
LOGIN_PATIENCE = 60


def load_pool():
    """Load the test database's pool before sao's first request does, as
    Tryton's with_pool would: the first login would wait for it"""
    database_list = Pool.database_list()
    pool = Pool(DB_NAME)
    if DB_NAME not in database_list:
        with Transaction().start(DB_NAME, 0, readonly=True):
            pool.init()


def login(page, base_url, login, password):
    "Through sao's login and password dialogs"
    load_pool()
    timeout = LOGIN_PATIENCE * 1000
    page.goto(base_url + '/admin/#' + DB_NAME)
    page.wait_for_selector('.login-dialog #login:enabled', timeout=timeout)
    page.wait_for_function('() => jQuery.active == 0', timeout=timeout)
    page.fill('.login-dialog #login', login)
    page.press('.login-dialog #login', 'Enter')
    page.fill('.ask-dialog #ask-dialog-entry', password, timeout=timeout)
    page.keyboard.press('Enter')
    page.wait_for_selector('#user-preferences a', timeout=timeout)
    # the user's login actions (the manager's home) open their tabs after
    # the login: wait for them, so that no tab opens later over another
    actions = login_actions(login)
    if actions:
        # a tab counts in Sao.Tab.tabs once made and is shown (which
        # activates it) only once its view is loaded: wait for it shown, or
        # a later tab could open before it and lose the focus to it
        page.wait_for_function(
            "(n) => jQuery('#tablist > li').length >= n",
            arg=actions, timeout=timeout)
        settle(page, '%s: login actions' % login, patience=30)


def login_actions(login):
    "How many actions open at the user's login"
    with Transaction().start(DB_NAME, 0, readonly=True):
        User = Pool().get('res.user')
        user, = User.search([('login', '=', login)])
        return len(user.actions)


def settle(page, what, patience=PATIENCE):
    "Wait until sao is idle; fail on an error dialog or a lasting Processing"
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        page.wait_for_timeout(100)
        # a tab made but not shown yet is still loading its view
        busy = page.evaluate('''() => jQuery.active > 0
            || jQuery('#processing:visible').length > 0
            || Sao.Tab.tabs.length > jQuery('#tablist > li').length''')
        if not busy:
            break
    else:
        raise SaoFailure('%s: still processing after %s s' % (what, patience))
    dialogs = page.locator(ERROR_DIALOGS)
    if dialogs.count():
        raise SaoFailure('%s: %s' % (what, dialogs.first.inner_text()))


def menu_id(xml_id):
    "The database id of a menu entry, from module.id"
    module, name = xml_id.split('.')
    with Transaction().start(DB_NAME, 0, readonly=True):
        ModelData = Pool().get('ir.model.data')
        return ModelData.get_id(module, name)


def open_menu(page, xml_id):
    "Open the menu entry as a click in the menu does"
    page.evaluate('''(id) => Sao.Action.exec_keyword('tree_open',
        {model: 'ir.ui.menu', id: id}, null, false)''', menu_id(xml_id))
    settle(page, xml_id)


def active_tab(page):
    return page.locator('#tabcontent .tab-pane.active')


def search(page, text):
    "Type text in the current list's search box, as a person filters it"
    # sao's placeholder is in the user's language (en, fr, nl)
    box = active_tab(page).get_by_placeholder(
        re.compile(r'^(Search|Recherch|Zoek)'))
    box.fill(text)
    box.press('Enter')
    settle(page, 'search %s' % text)


def open_row(page, text, patience=PATIENCE):
    "Double-click the cell showing text in the current list (opens its form)"
    row = active_tab(page).locator('.treeview tbody tr:visible').filter(
        has_text=text)
    row.first.wait_for(timeout=patience * 1000)
    row.first.locator('td:visible').filter(has_text=text).first.dblclick()
    settle(page, 'row %s' % text, patience=patience)
    try:
        active_tab(page).locator('.form').first.wait_for(
            timeout=patience * 1000)
    except Exception:
        page.screenshot(path='/tmp/sao-fail.png')
        raise SaoFailure('row %s: no form opened' % text)


def click_button(page, label):
    "Click a button of the current form, by its label"
    button = active_tab(page).get_by_role('button', name=label, exact=True)
    try:
        button.wait_for(state='visible', timeout=PATIENCE * 1000)
    except Exception:
        page.screenshot(path='/tmp/sao-fail.png')
        raise SaoFailure('no button %r among %s' % (label,
                active_tab(page).locator('button:visible').all_inner_texts()))
    element = button.element_handle()
    button.click()
    # sao disables the button until the form is displayed again after the
    # button's call and reload (the display may also hide it): wait for
    # that, as the call's requests may start only some ticks after the click
    try:
        page.wait_for_function(
            '(el) => !el.isConnected || el.offsetParent === null'
            ' || !el.disabled', arg=element, timeout=PATIENCE * 1000)
    except Exception:
        page.screenshot(path='/tmp/sao-fail.png')
        raise SaoFailure('button %s: its call did not end' % label)
    settle(page, 'button %s' % label)
