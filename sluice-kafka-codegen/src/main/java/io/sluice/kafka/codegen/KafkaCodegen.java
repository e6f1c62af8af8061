package io.sluice.kafka.codegen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Command-line entry point, run by the build: {@code KafkaCodegen <schemaDir> <outputDir> <package> <runtimePackage>}.
 * Reads every {@code *.json} schema in {@code schemaDir} (as unpacked from the kafka-clients jar) and writes one Java
 * class per schema plus {@code KafkaApiKey} under {@code outputDir}. Files whose content did not change are left
 * untouched so incremental compilation stays incremental.
 */
public final class KafkaCodegen {

    private KafkaCodegen() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: KafkaCodegen <schemaDir> <outputDir> <package> <runtimePackage>");
        }
        Path schemas = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String pkg = args[2];
        String runtimePkg = args[3];
        Path pkgDir = out.resolve(pkg.replace('.', '/'));
        Files.createDirectories(pkgDir);
        List<MessageSpec> specs = new ArrayList<>();
        try (Stream<Path> files = Files.list(schemas)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                specs.add(SchemaParser.parse(p));
            }
        }
        if (specs.isEmpty()) {
            throw new IllegalStateException("no schemas found in " + schemas);
        }
        int written = 0;
        for (MessageSpec s : specs) {
            written += writeIfChanged(pkgDir.resolve(s.name() + ".java"), new MessageGenerator(s, pkg, runtimePkg).generate());
        }
        written += writeIfChanged(pkgDir.resolve("KafkaApiKey.java"), ApiKeyGenerator.generate(specs, pkg, runtimePkg));
        System.out.println("sluice-kafka-codegen: " + specs.size() + " schemas, " + written + " files written to " + pkgDir);
    }

    private static int writeIfChanged(Path file, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (Files.exists(file) && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
            return 0;
        }
        Files.write(file, bytes);
        return 1;
    }
}
