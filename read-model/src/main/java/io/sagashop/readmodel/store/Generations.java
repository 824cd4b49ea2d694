package io.sagashop.readmodel.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.readmodel.domain.OrderDocument;
import io.sagashop.readmodel.domain.ProjectedEvent;
import io.sagashop.readmodel.domain.ViewDelta;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.sagashop.platform.store.SqlTransaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The read model's generations: the LIVE one readers see, and the one a rebuild fills before it is swapped in. */
@ApplicationScoped
public class Generations {

    public record RebuildRow(int id, String state, OffsetDateTime startedAt, OffsetDateTime finishedAt, long processed,
                             long skipped, String error) {
    }

    /** The generation queries read. */
    public Uni<RebuildRow> liveGeneration(SqlClient db) {
        return generation(db, "select * from generations where state = 'LIVE'");
    }

    /** The newest generation (the current rebuild, or the last one, or the first LIVE one if none ever ran). */
    public Uni<RebuildRow> newestGeneration(SqlClient db) {
        return generation(db, "select * from generations order by id desc limit 1");
    }

    private Uni<RebuildRow> generation(SqlClient db, String sql) {
        return db.query(sql).execute().map(rows -> {
            Row r = rows.iterator().next();
            return new RebuildRow(r.getInteger("id"), r.getString("state"), r.getOffsetDateTime("started_at"),
                    r.getOffsetDateTime("finished_at"), r.getLong("processed"), r.getLong("skipped"), r.getString("error"));
        });
    }

    /** Registers a BUILDING generation; fails with a unique violation if one is already building. */
    public Uni<Integer> startGeneration(SqlTransaction tx) {
        return tx.preparedQuery("insert into generations (id, state) select max(id) + 1, 'BUILDING' from generations returning id")
                .execute().map(rows -> rows.iterator().next().getInteger("id"));
    }

    public Uni<Void> progress(SqlClient db, int generation, long processed, long skipped) {
        return db.preparedQuery("update generations set processed = $2, skipped = $3 where id = $1 and state = 'BUILDING'")
                .execute(Tuple.of(generation, processed, skipped)).replaceWithVoid();
    }

    /** Makes the generation LIVE and the old one RETIRED, atomically for every reader. */
    public Uni<Void> swapIn(SqlTransaction tx, int generation, long processed, long skipped) {
        return tx.preparedQuery("update generations set state = 'RETIRED' where state = 'LIVE'").execute()
                .chain(() -> tx.preparedQuery("""
                                update generations set state = 'LIVE', finished_at = now(), processed = $2, skipped = $3
                                where id = $1 and state = 'BUILDING'""")
                        .execute(Tuple.of(generation, processed, skipped)))
                .invoke(r -> {
                    if (r.rowCount() != 1) {
                        throw new IllegalStateException("generation " + generation + " is no longer building");
                    }
                })
                .replaceWithVoid();
    }

    public Uni<Void> fail(SqlClient db, int generation, String error) {
        return db.preparedQuery("update generations set state = 'FAILED', finished_at = now(), error = $2 where id = $1 and state = 'BUILDING'")
                .execute(Tuple.of(generation, error)).replaceWithVoid();
    }

    /** Frees the rows of generations that nobody reads any more. */
    public Uni<Void> dropUnused(SqlClient db) {
        String unused = "(select id from generations where state in ('RETIRED', 'FAILED'))";
        return db.query("delete from view_events where generation in " + unused).execute()
                .chain(() -> db.query("delete from order_documents where generation in " + unused).execute())
                .chain(() -> db.query("delete from customer_summaries where generation in " + unused).execute())
                .chain(() -> db.query("delete from status_counts where generation in " + unused).execute())
                .chain(() -> db.query("delete from product_sales where generation in " + unused).execute())
                .chain(() -> db.query("delete from totals where generation in " + unused).execute())
                .replaceWithVoid();
    }
}
