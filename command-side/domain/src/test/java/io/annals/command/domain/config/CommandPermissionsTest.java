package io.annals.command.domain.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.command.api.access.CommandPermissions;
import java.lang.reflect.Executable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.axonframework.commandhandling.CommandHandler;
import org.junit.jupiter.api.Test;

/**
 * {@link CommandPermissions} is the list of commands another process may send to the command role, and what each
 * needs from a worker: every command an aggregate handles must be in it, or it could only be sent in process.
 */
class CommandPermissionsTest {

    @Test
    void givenEveryCommandHandlerOfTheDomain_thenItsCommandIsListedWithAPermissionAndFoundByItsSimpleName()
            throws Exception {
        Set<Class<?>> handled = new HashSet<>();
        Path classes = Path.of("target", "classes");
        try (Stream<Path> files = Files.walk(classes.resolve("io/annals/command/domain"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, getClass().getClassLoader());
                for (Executable handler : Stream.concat(Stream.of(type.getDeclaredMethods()),
                        Stream.of(type.getDeclaredConstructors())).toList()) {
                    if (handler.isAnnotationPresent(CommandHandler.class)) {
                        handled.add(handler.getParameterTypes()[0]);
                    }
                }
            }
        }
        assertThat(handled).as("commands handled by the domain").hasSizeGreaterThan(30);
        for (Class<?> command : handled) {
            assertThat(CommandPermissions.needed(command)).as(command.getSimpleName()).isPresent();
            assertThat(CommandPermissions.byName(command.getSimpleName())).as(command.getSimpleName())
                    .contains(command);
        }
        assertThat(CommandPermissions.byName("Runtime")).isEmpty();
    }
}
