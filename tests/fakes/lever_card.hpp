#pragma once

// The notes and files of Lever opportunities held by the fake (lever-api.md §2.7).

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace pjats::fakes {

class CardStore {
  public:
    struct Note {
        std::string id;
        std::string opportunity;
        std::string value;
        std::string user;      // perform_as, "" when not given
        bool secret = false;
        std::int64_t created_at = 0;
    };

    struct File {
        std::string id;
        std::string opportunity;
        std::string name;
        std::string content_type;
        std::string bytes;
        std::string user; // perform_as
        std::int64_t uploaded_at = 0;
    };

    Note add_note(Note note);
    File add_file(File file);
    std::vector<Note> notes(const std::string& opportunity) const;
    std::vector<File> files(const std::string& opportunity) const;
    void reset();

    // Lever's shapes: a note {"id","text","fields":[{"type":"note","text":"Note",
    // "value"}],"user","secret","createdAt","completedAt","deletedAt"}, and a file
    // {"id","downloadUrl","ext","name","uploadedAt","status","size"}.
    static std::string note_json(const Note& note);
    static std::string file_json(const File& file);

    // For /_sandbox/state: "notes":[{..., "opportunity"}] and "files":[{..., "opportunity",
    // "content_type", "perform_as", "content_base64"}] members (without the braces).
    std::string state_members() const;

  private:
    mutable std::mutex m_mutex;
    std::vector<Note> m_notes;
    std::vector<File> m_files;
};

} // namespace pjats::fakes
