package io.sagashop.platform.health;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which consumer groups of this service have joined their group and hold their assignment (possibly none, when a
 * group has more members than partitions). Every saga channel names it ({@code consumer-rebalance-listener.name}), so
 * {@link ConsumerReadinessCheck} can keep the service "not ready" until its consumers really consume.
 */
@ApplicationScoped
@Default
@Identifier(ConsumerAssignments.NAME)
public class ConsumerAssignments implements KafkaConsumerRebalanceListener {

    public static final String NAME = "sagashop-assignments";
    private static final Logger LOG = Logger.getLogger(ConsumerAssignments.class);

    /** Group id to the partitions it holds now. */
    private final Map<String, Set<TopicPartition>> held = new ConcurrentHashMap<>();

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        String group = consumer.groupMetadata().groupId();
        held.computeIfAbsent(group, g -> ConcurrentHashMap.newKeySet()).addAll(partitions);
        LOG.infof("consumer group %s holds %d partition(s) %s", group, held.get(group).size(), held.get(group));
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Set<TopicPartition> set = held.get(consumer.groupMetadata().groupId());
        if (set != null) {
            set.removeAll(partitions);
        }
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        // Lost means the group moved on without us (session expired): not consuming until the next assignment.
        held.remove(consumer.groupMetadata().groupId());
    }

    /** True once the group has completed a join and not lost it since. */
    public boolean joined(String group) {
        return held.containsKey(group);
    }

    public Set<TopicPartition> partitions(String group) {
        return Set.copyOf(held.getOrDefault(group, Set.of()));
    }
}
