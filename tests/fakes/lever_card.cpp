#include "lever_card.hpp"

#include "fake_http.hpp"
#include "fake_json.hpp"

namespace pjats::fakes {

namespace {

std::string extension_of(const std::string& name) {
    const std::size_t dot = name.find_last_of('.');
    return dot == std::string::npos ? std::string() : name.substr(dot + 1);
}

void write_note(JsonWriter& w, const CardStore::Note& n) {
    write_string(w, "id", n.id);
    write_string(w, "text", "");
    w.Key("fields");
    w.StartArray();
    w.StartObject();
    write_string(w, "type", "note");
    write_string(w, "text", "Note");
    write_string(w, "value", n.value);
    w.EndObject();
    w.EndArray();
    write_optional_string(w, "user", n.user.empty() ? std::nullopt : std::optional(n.user));
    write_bool(w, "secret", n.secret);
    write_int(w, "createdAt", n.created_at);
    write_null(w, "completedAt");
    write_null(w, "deletedAt");
}

void write_file(JsonWriter& w, const CardStore::File& f) {
    write_string(w, "id", f.id);
    write_string(w, "downloadUrl", "https://api.lever.co/v1/opportunities/" + f.opportunity
                                       + "/files/" + f.id + "/download");
    write_string(w, "ext", extension_of(f.name));
    write_string(w, "name", f.name);
    write_int(w, "uploadedAt", f.uploaded_at);
    write_string(w, "status", "processed");
    write_int(w, "size", static_cast<std::int64_t>(f.bytes.size()));
}

} // namespace

CardStore::Note CardStore::add_note(Note note) {
    note.id = random_uuid();
    note.created_at = now_ms();
    std::lock_guard lock(m_mutex);
    m_notes.push_back(note);
    return note;
}

CardStore::File CardStore::add_file(File file) {
    file.id = random_uuid();
    file.uploaded_at = now_ms();
    std::lock_guard lock(m_mutex);
    m_files.push_back(file);
    return file;
}

std::vector<CardStore::Note> CardStore::notes(const std::string& opportunity) const {
    std::lock_guard lock(m_mutex);
    std::vector<Note> out;
    for (const Note& n : m_notes) {
        if (n.opportunity == opportunity) {
            out.push_back(n);
        }
    }
    return out;
}

std::vector<CardStore::File> CardStore::files(const std::string& opportunity) const {
    std::lock_guard lock(m_mutex);
    std::vector<File> out;
    for (const File& f : m_files) {
        if (f.opportunity == opportunity) {
            out.push_back(f);
        }
    }
    return out;
}

void CardStore::reset() {
    std::lock_guard lock(m_mutex);
    m_notes.clear();
    m_files.clear();
}

std::string CardStore::note_json(const Note& note) {
    return build_json([&](JsonWriter& w) {
        w.StartObject();
        write_note(w, note);
        w.EndObject();
    });
}

std::string CardStore::file_json(const File& file) {
    return build_json([&](JsonWriter& w) {
        w.StartObject();
        write_file(w, file);
        w.EndObject();
    });
}

std::string CardStore::state_members() const {
    std::lock_guard lock(m_mutex);
    const std::string notes = build_json([&](JsonWriter& w) {
        w.StartArray();
        for (const Note& n : m_notes) {
            w.StartObject();
            write_note(w, n);
            write_string(w, "opportunity", n.opportunity);
            w.EndObject();
        }
        w.EndArray();
    });
    const std::string files = build_json([&](JsonWriter& w) {
        w.StartArray();
        for (const File& f : m_files) {
            w.StartObject();
            write_file(w, f);
            write_string(w, "opportunity", f.opportunity);
            write_string(w, "content_type", f.content_type);
            write_string(w, "perform_as", f.user);
            write_string(w, "content_base64", base64_encode(f.bytes));
            w.EndObject();
        }
        w.EndArray();
    });
    return "\"notes\":" + notes + ",\"files\":" + files;
}

} // namespace pjats::fakes
