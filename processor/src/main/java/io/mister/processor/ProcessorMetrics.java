package io.mister.processor;

import io.mister.processor.inference.ScoringObserver;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Value;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * The emotion processor's Kafka Streams sensors (group {@value #GROUP}, tagged with the task id):
 * inference latency and batch sizes per head call, turns scored, open conversations, revisions and
 * duplicates, ENDEDs that waited for their last turns (and those that gave up waiting), model swaps refused. Dead letters are counted by {@link io.mister.deadletter.DeadLetters}.
 */
public final class ProcessorMetrics implements ScoringObserver {

    public static final String GROUP = "mister-processor";

    private final Sensor inferenceLatency;
    private final Sensor batchSize;
    private final Sensor turnsScored;
    private final Sensor openConversations;
    private final Sensor revisions;
    private final Sensor duplicates;
    private final Sensor modelRefusals;
    private final Sensor endWaits;
    private final Sensor endWaitsExpired;
    private final Sensor endsWaiting;
    private final Sensor windowsFromMemory;
    private final Sensor windowsScanned;
    private final Sensor eventsPending;

    public ProcessorMetrics(ProcessingContext context) {
        Map<String, String> tags = Map.of("task-id", context.taskId().toString());
        String prefix = "mister-processor-" + context.taskId() + "-";
        var metrics = context.metrics();
        inferenceLatency = metrics.addSensor(prefix + "inference-latency", Sensor.RecordingLevel.INFO);
        inferenceLatency.add(name("inference-latency-avg-ms", "Average head call latency", tags), new Avg());
        inferenceLatency.add(name("inference-latency-max-ms", "Longest head call", tags), new Max());
        batchSize = metrics.addSensor(prefix + "batch-size", Sensor.RecordingLevel.INFO);
        batchSize.add(name("batch-size-avg", "Average windows per head call", tags), new Avg());
        batchSize.add(name("batch-size-max", "Most windows in one head call", tags), new Max());
        turnsScored = metrics.addSensor(prefix + "turns-scored", Sensor.RecordingLevel.INFO);
        turnsScored.add(name("turns-scored-total", "Real (unpadded) turns scored by the head", tags), new CumulativeSum());
        openConversations = metrics.addSensor(prefix + "open-conversations", Sensor.RecordingLevel.INFO);
        openConversations.add(name("open-conversations", "Conversations with state in this task", tags), new Value());
        revisions = metrics.addSensor(prefix + "revisions", Sensor.RecordingLevel.INFO);
        revisions.add(name("revisions-total", "Revised (non-final) events emitted", tags), new CumulativeCount());
        duplicates = metrics.addSensor(prefix + "duplicates", Sensor.RecordingLevel.INFO);
        duplicates.add(name("duplicate-turns-total", "Duplicate turns ignored", tags), new CumulativeCount());
        modelRefusals = metrics.addSensor(prefix + "model-refusals", Sensor.RecordingLevel.INFO);
        modelRefusals.add(name("model-swaps-refused", "Hot-swap candidates refused since start", tags), new Value());
        endWaits = metrics.addSensor(prefix + "end-waits", Sensor.RecordingLevel.INFO);
        endWaits.add(name("end-waits-total", "ENDEDs that came before the last turns they announced and waited for them", tags),
                new CumulativeCount());
        endWaitsExpired = metrics.addSensor(prefix + "end-waits-expired", Sensor.RecordingLevel.INFO);
        endWaitsExpired.add(name("end-waits-expired-total",
                "Conversations finalised after the end wait without every turn their ENDED announced", tags), new CumulativeCount());
        endsWaiting = metrics.addSensor(prefix + "ends-waiting", Sensor.RecordingLevel.INFO);
        endsWaiting.add(name(ENDS_WAITING, "Conversations whose ENDED is waiting for turns it announced", tags), new Value());
        windowsFromMemory = metrics.addSensor(prefix + "windows-from-memory", Sensor.RecordingLevel.INFO);
        windowsFromMemory.add(name("windows-from-memory-total",
                "Context windows read from the window cache since the task started", tags), new Value());
        windowsScanned = metrics.addSensor(prefix + "windows-scanned", Sensor.RecordingLevel.INFO);
        windowsScanned.add(name("windows-scanned-total",
                "Context windows read by a state-store scan since the task started (cache misses, late turns)", tags), new Value());
        eventsPending = metrics.addSensor(prefix + "events-pending", Sensor.RecordingLevel.INFO);
        eventsPending.add(name(EVENTS_PENDING, "Work whose events are not emitted yet: batches and conversations' finals out "
                + "for scoring, plus 1 while a batch is being filled", tags), new Value());
    }

    /** The gauge a bounded replay (rescore) also watches before it stops: work whose events are not emitted yet. */
    public static final String EVENTS_PENDING = "events-pending";

    /** The gauge a bounded replay (rescore) watches before it stops: ENDEDs still waiting for their turns. */
    public static final String ENDS_WAITING = "ends-waiting";

    private static MetricName name(String name, String description, Map<String, String> tags) {
        return new MetricName(name, GROUP, description, tags);
    }

    @Override
    public void scored(int windows, int turns, long nanos) {
        inferenceLatency.record(nanos / 1e6);
        batchSize.record(windows);
        turnsScored.record(turns);
    }

    public void openConversations(int count) {
        openConversations.record(count);
    }

    public void revisionEmitted() {
        revisions.record();
    }

    public void duplicateIgnored() {
        duplicates.record();
    }

    public void endWaiting() {
        endWaits.record();
    }

    public void endWaitExpired() {
        endWaitsExpired.record();
    }

    /** How the task's windows were read so far (cumulative counts, recorded after each scoring pass). */
    public void windowReads(long fromMemory, long scanned) {
        windowsFromMemory.record(fromMemory);
        windowsScanned.record(scanned);
    }

    public void eventsPending(int count) {
        eventsPending.record(count);
    }

    public void endsWaiting(int count) {
        endsWaiting.record(count);
    }

    public void modelRefusals(long count) {
        modelRefusals.record(count);
    }
}
