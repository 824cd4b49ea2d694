-- PaymentCaptured may be consumed before the OrderPlaced that carries the address (two topics, consumed
-- independently): the row remembers the payment, and OrderPlaced then books the shipment.
alter table shipments add column paid boolean not null default false;
