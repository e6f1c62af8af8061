package io.sluice.it.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Package-level rules the module boundaries (checked by the Maven Enforcer) cannot see: codecs are pure, adapters go
 * through the core API rather than storage internals, and the core stays free of transports.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.sluice");
    }

    @Test
    void storageAndCoreKnowNoTransportAndNoProtocol() {
        noClasses().that().resideInAnyPackage("io.sluice.storage..", "io.sluice.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "io.sluice.protocol..",
                        "io.sluice.transport..", "io.sluice.server..", "org.apache.kafka..")
                .check(classes);
    }

    @Test
    void storageDoesNotDependOnCore() {
        noClasses().that().resideInAPackage("io.sluice.storage..")
                .should().dependOnClassesThat().resideInAPackage("io.sluice.core..")
                .check(classes);
    }

    @Test
    void codecsArePure() {
        noClasses().that().resideInAPackage("io.sluice.protocol.*.codec..")
                .should().dependOnClassesThat().resideInAnyPackage("io.sluice.core..", "io.sluice.protocol.*.session..",
                        "io.sluice.storage.log..", "io.sluice.storage.memory..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void adaptersUseTheCoreApiNotStorageInternals() {
        noClasses().that().resideInAnyPackage("io.sluice.protocol..", "io.sluice.transport..")
                .should().dependOnClassesThat().resideInAnyPackage("io.sluice.storage.log..",
                        "io.sluice.storage.memory..", "io.sluice.core.internal..", "io.sluice.core.queue.internal..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void protocolsDoNotDependOnEachOther() {
        for (String p : new String[] {"kafka", "amqp", "nats", "resp"}) {
            noClasses().that().resideInAPackage("io.sluice.protocol." + p + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(
                            java.util.stream.Stream.of("kafka", "amqp", "nats", "resp").filter(q -> !q.equals(p))
                                    .map(q -> "io.sluice.protocol." + q + "..").toArray(String[]::new))
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }
}
