"""Every view the server sends can be drawn by the web client (sao 8.0).

sao picks a widget class by the field's `widget` attribute, or by the
field's type when there is none, from a fixed table per view type; a widget
missing from that table throws in the browser ("ColumnFactory is not a
constructor") and the tab never opens. A DateTime or Timestamp column in a
list has no class of its own: Tryton's lists show it as a `widget="date"`
column beside a `widget="time"` one (trytond/ir/view/cron_log_list.xml)."""
import unittest

from lxml import etree
from trytond.pool import Pool
from trytond.tests.test_tryton import drop_db, with_transaction

from urbantherapy.testing import URBAN_MODULES, activate_module

# sao 8.0: Sao.View.TreeXMLViewParser.WIDGETS, FormXMLViewParser.WIDGETS
# and GraphXMLViewParser.WIDGETS (tryton-sao/dist/tryton-sao.js)
TREE_WIDGETS = {'binary', 'boolean', 'callto', 'char', 'date', 'dict',
    'email', 'float', 'image', 'integer', 'many2many', 'many2one', 'numeric',
    'one2many', 'one2one', 'progressbar', 'reference', 'selection',
    'multiselection', 'sip', 'text', 'time', 'timedelta', 'url'}
FORM_WIDGETS = {'binary', 'boolean', 'callto', 'char', 'color', 'date',
    'datetime', 'dict', 'document', 'email', 'float', 'html', 'image',
    'integer', 'many2many', 'many2one', 'multiselection', 'numeric',
    'one2many', 'one2one', 'password', 'progressbar', 'pyson', 'reference',
    'richtext', 'selection', 'sip', 'text', 'time', 'timedelta', 'timestamp',
    'url'}
WIDGETS = {'tree': TREE_WIDGETS, 'form': FORM_WIDGETS}


def unsupported_widgets(arch, fields, view_type):
    "(field, widget) pairs of the arch that sao cannot draw"
    allowed = WIDGETS.get(view_type)
    if allowed is None:
        return []
    tree = etree.fromstring(arch)
    missing = []
    for element in tree.iter('field'):
        name = element.get('name')
        widget = element.get('widget') or fields[name]['type']
        if widget not in allowed:
            missing.append((name, widget))
    return missing


class BackOfficeViewsTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(URBAN_MODULES)

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def test_unsupported_widget_detected(self):
        "The check itself sees a bare DateTime column in a list"
        fields = {'create_date': {'type': 'timestamp'},
            'sent': {'type': 'datetime'}, 'name': {'type': 'char'}}
        arch = ('<tree><field name="name"/><field name="create_date"/>'
            '<field name="sent" widget="date"/>'
            '<field name="sent" widget="time"/></tree>')
        self.assertEqual(unsupported_widgets(arch, fields, 'tree'),
            [('create_date', 'timestamp')])
        self.assertEqual(unsupported_widgets(arch, fields, 'form'), [])

    @with_transaction()
    def test_every_view_drawable(self):
        "Every list and form of every activated model has known widgets"
        pool = Pool()
        View = pool.get('ir.ui.view')
        broken = []
        views = View.search([
                ('inherit', '=', None),
                ('type', 'in', list(WIDGETS)),
                ])
        self.assertGreater(len(views), 100)
        for view in views:
            try:
                Model = pool.get(view.model)
            except KeyError:
                continue
            result = Model.fields_view_get(view_id=view.id)
            for name, widget in unsupported_widgets(
                    result['arch'], result['fields'], result['type']):
                broken.append('%s (%s %s): %s as %s' % (view.model,
                        view.module, view.name, name, widget))
        self.assertEqual(broken, [], "\n".join(broken))
