#include "types_h5.h"

const struct value_type *type_from_hdf5(hid_t tid)
{
    H5T_class_t cls = H5Tget_class(tid);
    enum value_kind kind;
    if (cls == H5T_FLOAT)
        kind = KIND_FLOAT;
    else if (cls == H5T_INTEGER)
        kind = H5Tget_sign(tid) == H5T_SGN_NONE ? KIND_UNSIGNED : KIND_SIGNED;
    else
        return NULL;
    return type_by_kind(kind, H5Tget_size(tid));
}

hid_t type_native(const struct value_type *t)
{
    switch (t->kind) {
    case KIND_FLOAT:
        return t->size == 4 ? H5T_NATIVE_FLOAT : H5T_NATIVE_DOUBLE;
    case KIND_SIGNED:
        switch (t->size) {
        case 1: return H5T_NATIVE_INT8;
        case 2: return H5T_NATIVE_INT16;
        case 4: return H5T_NATIVE_INT32;
        default: return H5T_NATIVE_INT64;
        }
    case KIND_UNSIGNED:
        switch (t->size) {
        case 1: return H5T_NATIVE_UINT8;
        case 2: return H5T_NATIVE_UINT16;
        case 4: return H5T_NATIVE_UINT32;
        default: return H5T_NATIVE_UINT64;
        }
    }
    return H5T_NATIVE_DOUBLE;
}
