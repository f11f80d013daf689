-- One-line till addresses split into AFAS's street / house number / addition / PO box (in Python, see
-- afas_mplus/order_texts.py); `flagged` ones could not be split and go whole into the street.
select address, country, street, house_number, addition, coalesce(po_box, false) as po_box,
       coalesce(flagged, false) as flagged, reason
from staging.mplus_order_addresses
