package io.mister.app.demo;

import io.mister.app.config.MisterConfig;
import io.mister.app.kafka.EmbeddedPipeline;
import io.mister.events.ConversationControl;
import io.mister.events.EmotionEvent;
import io.mister.events.Utterance;
import io.mister.topics.Topics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The whole pipeline with no infrastructure: an embedded broker, both stages, the bundled sample
 * conversations replayed in (accelerated) real time, a live view of every turn's emotion events and
 * a closing summary.
 */
public final class Demo {

    /** How to run the demo. */
    public record Options(Path audioDir, double speed, boolean plain, Duration timeout) {}

    /** The demo's result, for tests. */
    public record Outcome(TurnTimeline timeline, boolean complete) {}

    private final MisterConfig config;
    private final Options options;
    private final PrintStream out;

    public Demo(MisterConfig config, Options options, PrintStream out) {
        this.config = config;
        this.options = options;
        this.out = out;
    }

    public Outcome run() throws Exception {
        DemoScript script = DemoScript.bundled();
        List<DemoReplay.Step> steps = DemoReplay.plan(script, options.audioDir());
        long spoken = script.conversations().stream().filter(DemoScript.Conversation::spoken).mapToLong(c -> c.turns().size()).sum();
        long withAudio = steps.stream().filter(s -> s.event() instanceof Utterance u && u.getAudio() != null).count();
        out.printf("mister demo: %d conversations, %d turns (%d with audio), model %s, speed x%.1f%n",
                script.conversations().size(), script.turnCount(), withAudio, config.modelPath(), options.speed());
        if (withAudio < spoken) {
            out.printf("mister demo: %d spoken turns have no audio file in %s; run app/demo/generate-audio.sh (bin/demo does)%n",
                    spoken - withAudio, options.audioDir());
        }
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(config)) {
            if (pipeline.httpPort() > 0) {
                out.printf("mister demo: http://127.0.0.1:%d/metrics, /health/ready, /conversations/{id} (e.g. /conversations/%s)%n",
                        pipeline.httpPort(), script.conversations().get(0).id());
            }
            TurnTimeline timeline = new TurnTimeline(script);
            LiveView view = new LiveView(out, options.plain(), timeline);
            AtomicBoolean stop = new AtomicBoolean();
            Thread consumer = new Thread(() -> consume(pipeline.bootstrapServers(), pipeline.topics(), timeline, view, stop),
                    "demo-view");
            consumer.start();
            long started = System.currentTimeMillis();
            publish(pipeline.bootstrapServers(), pipeline.topics(), steps, view);
            long deadline = System.currentTimeMillis() + options.timeout().toMillis();
            synchronized (timeline) {
                while (!timeline.allFinal() && System.currentTimeMillis() < deadline) {
                    timeline.wait(200);
                }
            }
            stop.set(true);
            consumer.join();
            view.draw();
            DemoSummary.print(timeline, System.currentTimeMillis() - started, pipeline.modelVersion(), out);
            return new Outcome(timeline, timeline.allFinal());
        }
    }

    private void publish(String bootstrap, Topics topics, List<DemoReplay.Step> steps, LiveView view) throws InterruptedException {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            long start = System.currentTimeMillis();
            for (DemoReplay.Step step : steps) {
                long due = start + (long) (step.atMs() / options.speed());
                long wait = due - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait); // pacing the replay in (scaled) real time
                }
                long now = System.currentTimeMillis();
                if (step.event() instanceof Utterance utterance) {
                    utterance.setEventTime(java.time.Instant.ofEpochMilli(now));
                    producer.send(new ProducerRecord<>(topics.names().utterances(), step.conversationId(),
                            topics.utterances().valueSerde().serializer().serialize(topics.names().utterances(), utterance)));
                    view.onPublished(step.conversationId(), utterance.getSeq(), utterance.getText());
                } else if (step.event() instanceof ConversationControl control) {
                    control.setEventTime(java.time.Instant.ofEpochMilli(now));
                    producer.send(new ProducerRecord<>(topics.names().control(), step.conversationId(),
                            topics.control().valueSerde().serializer().serialize(topics.names().control(), control)));
                }
            }
            producer.flush();
        }
    }

    private static void consume(String bootstrap, Topics topics, TurnTimeline timeline, LiveView view, AtomicBoolean stop) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "mister-demo-view",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, EmotionEvent> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                topics.emotions().valueSerde().deserializer())) {
            consumer.subscribe(Set.of(topics.names().emotions()));
            while (!stop.get()) {
                for (ConsumerRecord<String, EmotionEvent> record : consumer.poll(Duration.ofMillis(100))) {
                    TurnTimeline.TurnView turn = timeline.add(record.value());
                    view.onEvent(record.value(), turn);
                }
                synchronized (timeline) {
                    timeline.notifyAll();
                }
            }
        }
    }
}
