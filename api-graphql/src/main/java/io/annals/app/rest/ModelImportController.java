package io.annals.app.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.annals.app.security.BearerTokenFilter;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.DomainException;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.model.ImportedModel;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.trainingrun.Task;
import io.annals.workers.imports.ModelImportService;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.support.MissingServletRequestPartException;

/**
 * {@code POST /v1/models/{model}/versions}, multipart: part {@code model}, an ONNX file; part {@code signature}, JSON
 * {@code {"task", "features": [{"name", "type"}, …], "output", "classes", "label"}}. Registers the model's next
 * version and answers 201 {@code {"model", "version", "sha256"}}; a file that is not a model of that signature is 400
 * naming why, and leaves no version and no stored object.
 */
@RestController
class ModelImportController {

    private static final Logger log = LoggerFactory.getLogger(ModelImportController.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private final ModelImportService imports;

    ModelImportController(ModelImportService imports) {
        this.imports = imports;
    }

    record Feature(String name, ColumnType type) {
    }

    record Signature(Task task, List<Feature> features, String output, List<String> classes, String label) {
    }

    record Imported(String model, int version, String sha256) {
    }

    record Refused(String error, String message) {
    }

    @PostMapping(path = "/v1/models/{model}/versions", consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Object> importVersion(@PathVariable("model") String model, @RequestPart("model") MultipartFile file,
                                         @RequestPart("signature") String signature, HttpServletRequest request)
            throws IOException {
        Actor actor = (Actor) request.getAttribute(BearerTokenFilter.PRINCIPAL_ATTRIBUTE);
        try {
            ModelName name = ModelName.of(model);
            Signature declared;
            try {
                declared = JSON.readValue(signature, Signature.class);
            } catch (UnrecognizedPropertyException e) {
                throw new IllegalArgumentException("signature: unknown field '" + e.getPropertyName()
                        + "'; its fields are task, features (name, type), output, classes and label");
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("signature: not the expected JSON ({\"task\", \"features\": "
                        + "[{\"name\", \"type\"}], \"output\", \"classes\", \"label\"}): "
                        + e.getOriginalMessage());
            }
            List<ColumnSpec> features = declared.features() == null ? List.of() : declared.features().stream()
                    .map(f -> new ColumnSpec(f.name(), f.type(), false)).toList();
            String fileName = file.getOriginalFilename() == null || file.getOriginalFilename().isBlank()
                    ? "model.onnx" : file.getOriginalFilename();
            ImportedModel imported = new ImportedModel(fileName, declared.task(), features, declared.output(),
                    declared.classes(), declared.label());
            try (InputStream in = file.getInputStream()) {
                var done = imports.importVersion(name, in, imported, actor);
                return ResponseEntity.status(HttpStatus.CREATED).body(new Imported(done.model(), done.version(),
                        done.sha256()));
            }
        } catch (IllegalArgumentException e) {
            log.info("Refused a model for {}: {}", model, e.getMessage());
            return ResponseEntity.badRequest().body(new Refused("INVALID_MODEL", e.getMessage()));
        } catch (DomainException e) {
            log.info("Refused a model for {} ({}): {}", model, e.code(), e.getMessage());
            return ResponseEntity.status(RestErrors.status(e.code())).body(new Refused(e.code().name(), e.getMessage()));
        }
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<Refused> tooLarge(MaxUploadSizeExceededException e) {
        log.info("Refused a model upload: too large ({})", e.getMessage());
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(new Refused("TOO_LARGE",
                "the upload is larger than spring.servlet.multipart.max-file-size allows"));
    }

    @ExceptionHandler(MissingServletRequestPartException.class)
    ResponseEntity<Refused> missingPart(MissingServletRequestPartException e) {
        return ResponseEntity.badRequest().body(new Refused("INVALID_MODEL", "the request needs the multipart parts "
                + "'model' (the ONNX file) and 'signature' (JSON); '" + e.getRequestPartName() + "' is missing"));
    }
}
