package io.sluice.kafka.codegen;

import java.util.List;

/**
 * One schema file.
 *
 * @param name              e.g. {@code ProduceRequest}
 * @param type              request, response, header or data
 * @param apiKey            the api key, or -1 for headers and data
 * @param validVersions     versions the schema defines
 * @param flexibleVersions  versions using compact encodings and tagged fields
 * @param listeners         which listeners accept this request (broker, controller, zkBroker)
 * @param latestUnstable    whether the highest version is still unstable upstream
 * @param structs           the top-level struct first, then every nested and common struct, each once
 * @param about             the schema's leading comment, if any
 */
record MessageSpec(String name, String type, int apiKey, Versions validVersions, Versions flexibleVersions,
                   List<String> listeners, boolean latestUnstable, List<StructSpec> structs) {

    StructSpec root() {
        return structs.get(0);
    }
}
