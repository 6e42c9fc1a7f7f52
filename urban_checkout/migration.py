"""The records of this module's XML files were urban_mobile_api's before
this module existed (issue 19). A database activated then keeps them:
their XML ids are re-homed before this module's XML files are read, so
that the records are updated where they are (same ids) instead of created
a second time (the retry refund button is unique per model and name) and
then deleted from urban_mobile_api."""
from trytond.pool import Pool
from trytond.transaction import Transaction

PREVIOUS_MODULE = 'urban_mobile_api'
MODULE = 'urban_checkout'
MOVED_XML_IDS = [
    # payment.xml
    'access_payment', 'access_payment_sale_admin', 'access_webhook_event',
    'access_webhook_event_sale_admin', 'payment_view_list',
    'payment_view_form', 'act_payment', 'act_payment_view_list',
    'act_payment_view_form', 'act_payment_domain_pending',
    'act_payment_domain_failed', 'act_payment_domain_all', 'menu_payment',
    'menu_payment_group_sale_admin', 'webhook_event_view_list',
    'act_webhook_event', 'act_webhook_event_view_list', 'menu_webhook_event',
    'msg_payment_reference_unique', 'msg_webhook_event_unique',
    # returns.xml
    'sale_view_form_refund', 'sale_api_retry_refund_button',
    'refund_view_list', 'access_refund', 'msg_refund_key_unique',
    'msg_expired_refund_failed', 'msg_refund_failed',
    # security.xml
    'field_access_sale_sale_api_cart_token',
    'field_access_sale_sale_api_cart_token_admin',
    'field_access_sale_sale_api_order_token',
    'field_access_sale_sale_api_order_token_admin',
    'field_access_urban_api_refund_key',
    'field_access_urban_api_refund_key_admin',
    ]


def rehome_xml_ids():
    "Give the moved XML ids of urban_mobile_api to this module, once"
    ModelData = Pool().get('ir.model.data')
    data = ModelData.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*data.select(data.fs_id,
            where=(data.module == MODULE)
            & data.fs_id.in_(MOVED_XML_IDS)))
    present = {fs_id for fs_id, in cursor}
    moved = [i for i in MOVED_XML_IDS if i not in present]
    if moved:
        cursor.execute(*data.update([data.module], [MODULE],
                where=(data.module == PREVIOUS_MODULE)
                & data.fs_id.in_(moved)))
