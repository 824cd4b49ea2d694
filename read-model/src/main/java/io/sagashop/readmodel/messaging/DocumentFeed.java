package io.sagashop.readmodel.messaging;

import io.sagashop.platform.config.SagaShopConfig;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sagashop.readmodel.store.ProjectionStore;
import io.sagashop.readmodel.store.ViewQueries;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live document changes for the dashboard. The projector notifies (PostgreSQL NOTIFY, delivered only on commit) the
 * id of every order whose live document changed; this bean LISTENs, reads the document once and broadcasts it to every
 * open stream. Through the database, so every replica's dashboards see every replica's projections.
 */
@ApplicationScoped
public class DocumentFeed {

    private static final Logger LOG = Logger.getLogger(DocumentFeed.class);

    private final Vertx vertx;
    private final Pool pool;
    private final ViewQueries views;
    private final PgConnectOptions options;
    private final BroadcastProcessor<JsonNode> documents = BroadcastProcessor.create();
    private final AtomicInteger listeners = new AtomicInteger();
    private PgSubscriber subscriber;

    DocumentFeed(Vertx vertx, Pool pool, ViewQueries views,
                 SagaShopConfig config,
                 @ConfigProperty(name = "quarkus.datasource.username") String user,
                 @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.vertx = vertx;
        this.pool = pool;
        this.views = views;
        this.options = new PgConnectOptions().setHost(config.pg().host()).setPort(config.pg().port())
                .setDatabase(config.db().name().orElseThrow()).setUser(user).setPassword(password);
    }

    void start(@Observes StartupEvent event) {
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
        subscriber.channel(ProjectionStore.CHANNEL).handler(this::changed);
        subscriber.connect().subscribe().with(ok -> LOG.debug("listening for document changes"),
                failure -> LOG.warnf("cannot listen for document changes yet: %s", failure.toString()));
    }

    void stop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    private void changed(String orderId) {
        if (listeners.get() == 0) {
            return; // nobody is watching: no need to read the document
        }
        views.liveDocument(pool, orderId).subscribe().with(doc -> {
            if (doc != null) {
                documents.onNext(doc);
            }
        }, failure -> LOG.debugf("cannot read document %s: %s", orderId, failure.toString()));
    }

    /** Every live document as it changes, from now on. */
    public Multi<JsonNode> changes() {
        return documents.onSubscription().invoke(s -> listeners.incrementAndGet())
                .onTermination().invoke(listeners::decrementAndGet);
    }
}
