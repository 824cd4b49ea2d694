-- Payment keeps the token as OrderPlaced carries it, sealed (io.sagashop.contracts.PaymentTokenSeal), and opens it
-- only to call the provider. Rows from before sealing keep their token in the unsealed v0: form.
alter table payments rename column token to sealed_token;
update payments set sealed_token = 'v0:' || sealed_token where sealed_token is not null and sealed_token not like 'v_:%';
