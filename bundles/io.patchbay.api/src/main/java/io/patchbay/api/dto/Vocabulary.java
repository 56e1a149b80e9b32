package io.patchbay.api.dto;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Looks a vocabulary's value up by the spelling JSON and the store use; shared by the vocabulary enums. */
final class Vocabulary {
    private Vocabulary() {
    }

    static <E extends Enum<E>> List<String> allowed(Class<E> type, Function<E, String> value) {
        return Arrays.stream(type.getEnumConstants()).map(value).toList();
    }

    static <E extends Enum<E>> Optional<E> find(Class<E> type, Function<E, String> value, String spelled) {
        for (E e : type.getEnumConstants()) {
            if (value.apply(e).equals(spelled)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    static <E extends Enum<E>> E from(Class<E> type, Function<E, String> value, String what, String spelled) {
        return find(type, value, spelled).orElseThrow(() -> new IllegalArgumentException(
                (spelled == null ? "no " + what : "unknown " + what + " '" + spelled + "'") + "; allowed: "
                        + String.join(", ", allowed(type, value))));
    }
}
