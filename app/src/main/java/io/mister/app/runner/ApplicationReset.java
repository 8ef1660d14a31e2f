package io.mister.app.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resets a Kafka Streams application for reprocessing, with the Admin API (what
 * kafka-streams-application-reset does): the group's committed offsets on its input topics move to
 * a start position, its internal topics (changelogs, repartition topics) are deleted, and its local
 * state directory is removed. Refuses while the application has live members: resetting under a
 * running instance would corrupt it.
 */
public final class ApplicationReset {

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationReset.class);

    private final Admin admin;

    public ApplicationReset(Admin admin) {
        this.admin = admin;
    }

    /** What a reset did, for the operator's log. */
    public record Report(String applicationId, Map<TopicPartition, Long> offsets, List<String> deletedTopics, boolean stateRemoved) {}

    /**
     * @param membersGone how long to wait for the members of a just-stopped application to leave
     *     (a dynamic member that closed stays until its session times out); zero refuses at once
     */
    public Report reset(String applicationId, Collection<String> inputTopics, StartPosition start, Path stateDir,
                        Duration membersGone) {
        try {
            requireNoActiveMembers(applicationId, membersGone);
            Map<TopicPartition, Long> offsets = startOffsets(inputTopics, start);
            Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
            offsets.forEach((tp, offset) -> commits.put(tp, new OffsetAndMetadata(offset)));
            if (!commits.isEmpty()) {
                admin.alterConsumerGroupOffsets(applicationId, commits).all().get();
            }
            List<String> internal = internalTopics(applicationId);
            if (!internal.isEmpty()) {
                admin.deleteTopics(internal).all().get();
            }
            boolean removed = deleteLocalState(stateDir.resolve(applicationId));
            LOG.info("Reset {}: offsets {} on {}, deleted internal topics {}, local state removed: {}",
                    applicationId, start, inputTopics, internal, removed);
            return new Report(applicationId, offsets, internal, removed);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Reset of " + applicationId + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while resetting " + applicationId, e);
        }
    }

    private void requireNoActiveMembers(String applicationId, Duration membersGone)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + membersGone.toNanos();
        while (true) {
            int members = activeMembers(applicationId);
            if (members == 0) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                throw new IllegalStateException("Application " + applicationId + " still has " + members
                        + " active member(s); stop every instance before resetting it");
            }
            Thread.sleep(500); // polling the group coordinator; nothing to wait on instead
        }
    }

    private int activeMembers(String applicationId) throws InterruptedException, ExecutionException {
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId))
                    .describedGroups().get(applicationId).get();
            return group.members().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0;
            }
            throw e;
        }
    }

    /** The offset each partition of the topics starts from. */
    public Map<TopicPartition, Long> startOffsets(Collection<String> topics, StartPosition start)
            throws InterruptedException, ExecutionException {
        Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames().get();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> requested = new HashMap<>();
        descriptions.values().forEach(d -> d.partitions().forEach(p -> {
            TopicPartition tp = new TopicPartition(d.name(), p.partition());
            earliest.put(tp, OffsetSpec.earliest());
            latest.put(tp, OffsetSpec.latest());
            requested.put(tp, start instanceof StartPosition.AtTimestamp at
                    ? OffsetSpec.forTimestamp(at.timestamp().toEpochMilli()) : OffsetSpec.earliest());
        }));
        Map<TopicPartition, ListOffsetsResultInfo> low = admin.listOffsets(earliest).all().get();
        Map<TopicPartition, ListOffsetsResultInfo> high = admin.listOffsets(latest).all().get();
        Map<TopicPartition, ListOffsetsResultInfo> found = admin.listOffsets(requested).all().get();
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition tp : requested.keySet()) {
            long first = low.get(tp).offset();
            long end = high.get(tp).offset();
            long offset = first;
            if (start instanceof StartPosition.AtOffset at) {
                offset = Math.max(first, Math.min(end, at.offset()));
            } else if (start instanceof StartPosition.AtTimestamp) {
                // No record at or after the timestamp: -1, meaning start at the end.
                offset = found.get(tp).offset() < 0 ? end : found.get(tp).offset();
            }
            offsets.put(tp, offset);
        }
        return offsets;
    }

    private List<String> internalTopics(String applicationId) throws InterruptedException, ExecutionException {
        Set<String> names = admin.listTopics().names().get();
        return names.stream()
                .filter(n -> n.startsWith(applicationId + "-"))
                .filter(n -> n.endsWith("-changelog") || n.endsWith("-repartition"))
                .sorted().toList();
    }

    private static boolean deleteLocalState(Path appStateDir) {
        if (!Files.exists(appStateDir)) {
            return false;
        }
        try (Stream<Path> paths = Files.walk(appStateDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot delete local state " + appStateDir, e);
        }
        return !Files.exists(appStateDir);
    }
}
