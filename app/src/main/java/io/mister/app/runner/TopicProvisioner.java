package io.mister.app.runner;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the pipeline topics that do not exist yet (topics.create); existing topics are left alone. */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private final Admin admin;
    private final int partitions;
    private final Optional<Short> replicationFactor;

    /** @param replicationFactor <= 0 for the broker default */
    public TopicProvisioner(Admin admin, int partitions, short replicationFactor) {
        this.admin = admin;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor > 0 ? Optional.of(replicationFactor) : Optional.empty();
    }

    /** @return the topics that were created */
    public List<String> ensure(Collection<String> topics) {
        return ensure(topics, partitions);
    }

    /**
     * Creates {@code topic}, if missing, with the partition count of {@code template} (this provisioner's
     * count if the template does not exist either): for a topic that must be co-partitioned with one
     * that may have been provisioned by someone else.
     *
     * @return whether it was created
     */
    public boolean ensureCoPartitioned(String topic, String template) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            int count = existing.contains(template)
                    ? admin.describeTopics(List.of(template)).allTopicNames().get().get(template).partitions().size()
                    : partitions;
            return !ensure(List.of(topic), count).isEmpty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot describe topic " + template + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while describing topics", e);
        }
    }

    private List<String> ensure(Collection<String> topics, int partitions) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            Set<String> missing = new LinkedHashSet<>(topics);
            missing.removeAll(existing);
            if (missing.isEmpty()) {
                return List.of();
            }
            List<NewTopic> requests = missing.stream()
                    .map(name -> new NewTopic(name, Optional.of(partitions), replicationFactor)).toList();
            try {
                admin.createTopics(requests).all().get();
            } catch (ExecutionException e) {
                // Another instance may have created them between list and create: that is fine.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            LOG.info("Created topics {} ({} partitions)", missing, partitions);
            return List.copyOf(missing);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot create topics " + topics + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        }
    }
}
