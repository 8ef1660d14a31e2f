package io.mister.serde;

import java.util.Map;
import java.util.Objects;

/**
 * What the serde factory needs to know: the mode and, in registry mode, where the registry is and
 * any extra Apicurio serde properties (security, caching) passed through unchanged.
 *
 * @param mode framing on the wire
 * @param registryUrl base URL of the registry's core API, e.g. {@code http://localhost:8080/apis/registry/v2};
 *     required in registry mode
 * @param autoRegister whether producers register their schema when it is not there yet
 * @param passThrough extra {@code apicurio.registry.*} properties
 */
public record SerdeSettings(SerdeMode mode, String registryUrl, boolean autoRegister, Map<String, ?> passThrough) {

    public SerdeSettings {
        Objects.requireNonNull(mode, "mode");
        passThrough = passThrough == null ? Map.of() : Map.copyOf(passThrough);
        if (mode == SerdeMode.REGISTRY && (registryUrl == null || registryUrl.isBlank())) {
            throw new IllegalArgumentException("Registry mode needs a registry URL (e.g. http://localhost:8080/apis/registry/v2)");
        }
    }

    public static SerdeSettings singleObject() {
        return new SerdeSettings(SerdeMode.SINGLE_OBJECT, null, false, Map.of());
    }

    public static SerdeSettings registry(String registryUrl) {
        return new SerdeSettings(SerdeMode.REGISTRY, registryUrl, true, Map.of());
    }
}
