package io.sagashop.platform.api;

import io.sagashop.platform.messaging.DeadLetters;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * {@code /admin/dlq}: what is in this service's dead-letter topic, and a replay of chosen records (or all) to the
 * topics they came from. {@code ./sagashop dlq} is the command-line face of it.
 */
@Path("/admin/dlq")
@jakarta.annotation.security.RolesAllowed(Caller.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DeadLetterResource {

    public record Listing(String topic, int count, List<DeadLetters.DeadLetter> records) {
    }

    /** {@code ids}: {@code partition:offset} of each record to replay; {@code all}: every replayable record. */
    public record ReplayRequest(List<String> ids, Boolean all) {
    }

    public record Replayed(String topic, List<String> replayed) {
    }

    private final DeadLetters deadLetters;

    DeadLetterResource(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GET
    public Listing list() {
        List<DeadLetters.DeadLetter> records = deadLetters.list();
        return new Listing(deadLetters.topic(), records.size(), records);
    }

    @POST
    @Path("/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    public Replayed replay(ReplayRequest request) throws Exception {
        boolean all = request != null && Boolean.TRUE.equals(request.all());
        if (!all && (request == null || request.ids() == null || request.ids().isEmpty())) {
            throw new jakarta.ws.rs.BadRequestException("say which records to replay: {\"ids\":[\"0:12\"]} or {\"all\":true}");
        }
        return new Replayed(deadLetters.topic(), deadLetters.replay(all ? null : request.ids()));
    }
}
