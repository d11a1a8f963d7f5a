#include "boxes.hpp"

#include <fstream>
#include <sstream>

namespace xcam_samples {

using namespace cv;

void readBoxes(const std::string& path, std::vector<std::string>& images, std::vector<Rect>& boxes,
               std::vector<int>& classIds)
{
    std::ifstream file(path.c_str());
    if (!file)
        CV_Error_(Error::StsError, ("cannot read boxes file '%s'", path.c_str()));
    images.clear();
    boxes.clear();
    classIds.clear();
    std::string line;
    for (int number = 1; std::getline(file, line); ++number)
    {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty() || line[0] == '#' || (number == 1 && line.compare(0, 6, "image,") == 0))
            continue;  // blank line, comment, header
        std::vector<std::string> fields;
        std::stringstream ss(line);
        for (std::string field; std::getline(ss, field, ',');)
            fields.push_back(field);
        Rect box;
        int classId = 0;
        char rest = 0;
        std::string numbers;
        for (size_t i = 1; i < fields.size(); ++i)
            numbers += fields[i] + " ";
        std::istringstream in(numbers);
        if (fields.size() != 6 || fields[0].empty() ||
            !(in >> box.x >> box.y >> box.width >> box.height >> classId) || (in >> rest) ||
            box.width <= 0 || box.height <= 0)
            CV_Error_(Error::StsParseError,
                      ("%s:%d: expected 'image,x,y,w,h,class' with integers and w, h > 0, got "
                       "'%s'", path.c_str(), number, line.c_str()));
        images.push_back(fields[0]);
        boxes.push_back(box);
        classIds.push_back(classId);
    }
}

} // namespace xcam_samples
