-- Whose order it is (from OrderPlaced): GET /shipments/{orderId} answers only its customer and admins.
alter table shipments add column customer_id text;
