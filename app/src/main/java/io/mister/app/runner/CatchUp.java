package io.mister.app.runner;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether an application has consumed its input topics up to the end offsets they had when the
 * check began (a bounded replay: `rescore` stops there unless asked to follow).
 */
public final class CatchUp {

    private final Admin admin;
    private final String applicationId;
    private final Map<TopicPartition, Long> targets;

    private CatchUp(Admin admin, String applicationId, Map<TopicPartition, Long> targets) {
        this.admin = admin;
        this.applicationId = applicationId;
        this.targets = targets;
    }

    /** Fixes the targets: the inputs' current end offsets. */
    public static CatchUp toCurrentEnd(Admin admin, String applicationId, Collection<String> topics)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().values().forEach(d -> d.partitions().forEach(
                p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> targets = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> targets.put(tp, info.offset()));
        return new CatchUp(admin, applicationId, targets);
    }

    /** Records still to consume (committed offsets against the targets). */
    public long remaining() throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                .partitionsToOffsetAndMetadata().get();
        long remaining = 0;
        for (Map.Entry<TopicPartition, Long> target : targets.entrySet()) {
            OffsetAndMetadata done = committed.get(target.getKey());
            long position = done == null ? 0 : done.offset();
            remaining += Math.max(0, target.getValue() - position);
        }
        return remaining;
    }

    /** Polls until nothing remains or the timeout passes; true when caught up. */
    public boolean await(Duration timeout, Duration pollEvery) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (remaining() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(pollEvery.toMillis()); // committed offsets are only visible by polling the coordinator
        }
        return true;
    }
}
