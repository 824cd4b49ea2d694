-- Whose order it is (from OrderPlaced): GET /payments/{orderId} answers only its customer and admins.
alter table payments add column customer_id text;
