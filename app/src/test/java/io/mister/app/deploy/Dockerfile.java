package io.mister.app.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helper: the instructions of a Dockerfile's final stage that the tests compare with the app. */
record Dockerfile(List<String> from, Map<String, String> env, List<String> volumes, List<String> exposed, String user,
                  List<String> entrypoint) {

    static Dockerfile parse(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            lines.add(current.append(line).toString());
            current.setLength(0);
        }
        List<String> from = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        List<String> volumes = new ArrayList<>();
        List<String> exposed = new ArrayList<>();
        String user = null;
        List<String> entrypoint = List.of();
        for (String line : lines) {
            String[] parts = line.split("\\s+", 2);
            String instruction = parts[0].toUpperCase();
            String args = parts.length > 1 ? parts[1] : "";
            switch (instruction) {
                case "FROM" -> {
                    from.add(args);
                    env.clear(); // only the final stage counts
                    volumes.clear();
                    exposed.clear();
                    user = null;
                }
                case "ENV" -> {
                    for (String pair : args.trim().split("\\s+")) {
                        String[] kv = pair.split("=", 2);
                        env.put(kv[0], kv.length > 1 ? kv[1] : "");
                    }
                }
                case "VOLUME" -> volumes.add(args.trim());
                case "EXPOSE" -> exposed.add(args.trim());
                case "USER" -> user = args.trim();
                case "ENTRYPOINT" -> entrypoint = List.of(new ObjectMapper().readValue(args, String[].class));
                default -> { }
            }
        }
        return new Dockerfile(from, env, volumes, exposed, user, entrypoint);
    }
}
